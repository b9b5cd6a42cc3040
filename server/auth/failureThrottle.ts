export interface FailureThrottleOptions {
	/** Failures allowed before any wait. */
	freeFailures: number
	/** The first wait; each further failure doubles it, up to `maxDelayMs`. */
	baseDelayMs: number
	maxDelayMs: number
	/** A key with no failure for this long starts over. */
	forgetAfterMs: number
	/** Keys kept at most (the oldest are forgotten first), so a flood of addresses stays bounded. */
	maxKeys?: number
}

interface Entry {
	failures: number
	lastFailure: number
	blockedUntil: number
}

/**
 * Counts failures per key (an account, an address) and makes the key wait, with exponential
 * backoff, once it has failed `freeFailures` times: what slows password guessing to a crawl
 * without locking the owner out for long.
 */
export class FailureThrottle {
	private readonly entries = new Map<string, Entry>()

	constructor(
		private readonly options: FailureThrottleOptions,
		private readonly now: () => number = Date.now,
	) {}

	/** Milliseconds the key must still wait; 0 when it may try now. */
	retryAfterMs(key: string): number {
		const entry = this.live(key)
		return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0
	}

	fail(key: string): void {
		const now = this.now()
		const entry = this.live(key) ?? { failures: 0, lastFailure: now, blockedUntil: 0 }
		entry.failures += 1
		entry.lastFailure = now
		const over = entry.failures - this.options.freeFailures
		if (over >= 0)
			entry.blockedUntil =
				now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over, 30))
		// Re-inserted last: Map order is then oldest failure first, which is what gets evicted.
		this.entries.delete(key)
		this.entries.set(key, entry)
		const maxKeys = this.options.maxKeys ?? 100_000
		while (this.entries.size > maxKeys) {
			const oldest = this.entries.keys().next().value
			if (oldest === undefined) break
			this.entries.delete(oldest)
		}
	}

	succeed(key: string): void {
		this.entries.delete(key)
	}

	private live(key: string): Entry | undefined {
		const entry = this.entries.get(key)
		if (!entry) return undefined
		const idle = this.now() - Math.max(entry.lastFailure, entry.blockedUntil)
		if (idle < this.options.forgetAfterMs) return entry
		this.entries.delete(key)
		return undefined
	}
}
