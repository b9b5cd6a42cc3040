import { describe, expect, it, vi } from 'vitest'
import { LiveValue } from './LiveValue'

/** A load whose answers the test releases one at a time. */
function controlledLoad() {
	const pending: ((value: number) => void)[] = []
	const load = vi.fn(() => new Promise<number>((resolve) => pending.push(resolve)))
	return { load, answer: (value: number) => pending.shift()?.(value) }
}

describe('LiveValue', () => {
	it('starts from the initial value without a request', () => {
		const load = vi.fn(async () => 1)
		const live = new LiveValue({ load, initial: 5 })
		expect(live.getSnapshot()).toEqual({ value: 5, error: null, loading: false })
		expect(load).not.toHaveBeenCalled()
	})

	it('runs one more load when asked during a load, never two at once', async () => {
		const { load, answer } = controlledLoad()
		const live = new LiveValue({ load })
		const first = live.refresh()
		const second = live.refresh()
		const third = live.refresh()
		expect(load).toHaveBeenCalledTimes(1)
		answer(1)
		await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(2))
		answer(2)
		await Promise.all([first, second, third])
		expect(load).toHaveBeenCalledTimes(2)
		expect(live.getSnapshot().value).toBe(2)
	})

	it('keeps the last value and reports the error when a load fails', async () => {
		let fail = false
		const live = new LiveValue({
			load: async () => {
				if (fail) throw new Error('offline')
				return 7
			},
			describeError: (error) => (error as Error).message,
		})
		await live.refresh()
		fail = true
		await live.refresh()
		expect(live.getSnapshot()).toEqual({ value: 7, error: 'offline', loading: false })
	})

	it('gathers a burst of refreshSoon calls into one load', async () => {
		vi.useFakeTimers()
		try {
			const load = vi.fn(async () => 3)
			const live = new LiveValue({ load, debounceMs: 100 })
			live.refreshSoon()
			live.refreshSoon()
			live.refreshSoon()
			await vi.advanceTimersByTimeAsync(100)
			expect(load).toHaveBeenCalledTimes(1)
			expect(live.getSnapshot().value).toBe(3)
		} finally {
			vi.useRealTimers()
		}
	})

	it('notifies subscribers and stops after dispose', async () => {
		const live = new LiveValue({ load: async () => 4 })
		const listener = vi.fn()
		live.subscribe(listener)
		live.set(9)
		expect(listener).toHaveBeenCalledTimes(1)
		expect(live.getSnapshot().value).toBe(9)
		live.dispose()
		await live.refresh()
		expect(live.getSnapshot().value).toBe(9)
	})
})
