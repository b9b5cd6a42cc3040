/**
 * At most `limit` events per key in any `windowMs` (a sliding log of the last `limit` times).
 * Check with `retryAfterMs` before acting and `record` once the event happened, so refused and
 * no-op attempts cost nothing.
 */
export class RateLimiter {
	private readonly log = new Map<string, number[]>()

	constructor(
		private readonly options: { limit: number; windowMs: number; maxKeys?: number },
		private readonly now: () => number = Date.now,
	) {}

	/** Milliseconds until the key may act again; 0 when it may now. */
	retryAfterMs(key: string): number {
		const times = this.recent(key)
		if (times.length < this.options.limit) return 0
		return Math.max(
			1,
			times[times.length - this.options.limit] + this.options.windowMs - this.now(),
		)
	}

	record(key: string): void {
		const times = this.recent(key)
		times.push(this.now())
		if (times.length > this.options.limit) times.splice(0, times.length - this.options.limit)
		this.log.delete(key)
		this.log.set(key, times)
		const maxKeys = this.options.maxKeys ?? 100_000
		while (this.log.size > maxKeys) {
			const oldest = this.log.keys().next().value
			if (oldest === undefined) break
			this.log.delete(oldest)
		}
	}

	private recent(key: string): number[] {
		const since = this.now() - this.options.windowMs
		const times = (this.log.get(key) ?? []).filter((t) => t > since)
		if (times.length === 0) this.log.delete(key)
		return times
	}
}
