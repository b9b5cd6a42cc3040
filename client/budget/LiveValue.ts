/** What a {@link LiveValue} holds: the last value loaded, and why the latest load failed. */
export interface LiveSnapshot<T> {
	value: T | null
	/** The latest load's error message; the previous value is kept. */
	error: string | null
	loading: boolean
}

export interface LiveValueOptions<T> {
	load: () => Promise<T>
	/** A value already known (from another answer), so the first render needs no request. */
	initial?: T | null
	/** How long {@link LiveValue.refreshSoon} waits to gather a burst of triggers. Default 120 ms. */
	debounceMs?: number
	describeError?: (error: unknown) => string
}

/**
 * A server value the UI shows and refreshes when something says it changed — never by polling.
 * One request at a time: a refresh asked for while one is in flight runs once more after it, so
 * the last answer always reflects the last trigger and answers never arrive out of order.
 * Works with `useSyncExternalStore` (`subscribe`, `getSnapshot`).
 */
export class LiveValue<T> {
	private snapshot: LiveSnapshot<T>
	private readonly listeners = new Set<() => void>()
	private inFlight: Promise<void> | null = null
	private again = false
	private timer: ReturnType<typeof setTimeout> | null = null
	private disposed = false
	private readonly options: LiveValueOptions<T>

	constructor(options: LiveValueOptions<T>) {
		this.options = options
		this.snapshot = { value: options.initial ?? null, error: null, loading: false }
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener)
		return () => this.listeners.delete(listener)
	}

	readonly getSnapshot = (): LiveSnapshot<T> => this.snapshot

	/** Replaces the value with one another answer carried (an admin grant returns new credits). */
	set(value: T) {
		this.update({ value, error: null })
	}

	/** Loads now; resolves once the value reflects everything asked for up to this call. */
	refresh(): Promise<void> {
		if (this.disposed) return Promise.resolve()
		if (this.inFlight) {
			this.again = true
			return this.inFlight
		}
		this.inFlight = this.run().finally(() => {
			this.inFlight = null
		})
		return this.inFlight
	}

	/** Refreshes after a short pause, once for a burst of triggers (four jobs finishing together). */
	refreshSoon() {
		if (this.disposed || this.timer) return
		this.timer = setTimeout(() => {
			this.timer = null
			void this.refresh()
		}, this.options.debounceMs ?? 120)
	}

	dispose() {
		this.disposed = true
		if (this.timer) clearTimeout(this.timer)
		this.listeners.clear()
	}

	private async run(): Promise<void> {
		do {
			this.again = false
			this.update({ loading: true })
			try {
				const value = await this.options.load()
				if (this.disposed) return
				this.update({ value, error: null, loading: false })
			} catch (error) {
				if (this.disposed) return
				// The old value stays on screen; the error is shown where the value is.
				const describe = this.options.describeError ?? String
				this.update({ error: describe(error), loading: false })
			}
		} while (this.again && !this.disposed)
	}

	private update(patch: Partial<LiveSnapshot<T>>) {
		this.snapshot = { ...this.snapshot, ...patch }
		for (const listener of this.listeners) listener()
	}
}
