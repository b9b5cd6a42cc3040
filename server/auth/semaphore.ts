/**
 * At most `limit` holders at once; the rest wait in line (first come, first served).
 * @example const release = await sem.acquire(); try { … } finally { release() }
 */
export class Semaphore {
	private active = 0
	private readonly waiting: (() => void)[] = []

	constructor(private readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new Error(`Semaphore: bad limit ${limit}`)
	}

	/** Holders now and callers in line, for tests and metrics. */
	get load() {
		return { active: this.active, waiting: this.waiting.length }
	}

	async acquire(): Promise<() => void> {
		if (this.active < this.limit) this.active += 1
		// The releasing holder hands its slot straight over, so `active` stays counted.
		else await new Promise<void>((resolve) => this.waiting.push(resolve))
		let released = false
		return () => {
			if (released) return
			released = true
			const next = this.waiting.shift()
			if (next) next()
			else this.active -= 1
		}
	}

	async run<T>(fn: () => Promise<T>): Promise<T> {
		const release = await this.acquire()
		try {
			return await fn()
		} finally {
			release()
		}
	}
}
