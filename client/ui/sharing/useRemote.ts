import { useCallback, useEffect, useRef, useState } from 'react'
import { describeError } from '../describeError'

export type Remote<T> =
	| { status: 'loading' }
	| { status: 'ready'; data: T }
	| { status: 'error'; message: string }

/**
 * Loads something from the API on mount, when `key` changes and on `reload()`; `set` edits the
 * loaded value in place (after a write the server confirmed). A stale answer is dropped.
 */
export function useRemote<T>(load: () => Promise<T>, key: string) {
	const [state, setState] = useState<Remote<T>>({ status: 'loading' })
	const generation = useRef(0)
	// The latest `load` (a new closure each render); `key` says when to call it again.
	const loadRef = useRef(load)
	loadRef.current = load
	// biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the trigger, not a read
	const run = useCallback(() => {
		const mine = ++generation.current
		loadRef
			.current()
			.then((data) => {
				if (mine === generation.current) setState({ status: 'ready', data })
			})
			.catch((error: unknown) => {
				if (mine === generation.current)
					setState({ status: 'error', message: describeError(error) })
			})
	}, [key])
	useEffect(() => {
		run()
		return () => {
			generation.current++
		}
	}, [run])
	const set = useCallback((update: (data: T) => T) => {
		setState((current) =>
			current.status === 'ready' ? { status: 'ready', data: update(current.data) } : current,
		)
	}, [])
	return { state, reload: run, set }
}
