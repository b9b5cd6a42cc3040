import type * as Y from 'yjs'

/**
 * The records of a `YKeyValue` layout (`{ key, val }` entries in a Y.Array), read without writing:
 * where a key has several entries, the rightmost wins, as YKeyValue decides. For read-only peers
 * (viewers, clients): a YKeyValue instance deletes duplicate entries as they arrive — a write the
 * server drops for them — and can so delete the entry every other peer keeps.
 */
export function readKeyValue<T>(array: Y.Array<{ key: string; val: T }>): Map<string, T> {
	const map = new Map<string, T>()
	for (const entry of array.toArray()) map.set(entry.key, entry.val)
	return map
}

/** One key's change, shaped like a YKeyValue `change` event's entries. */
export type KeyValueChange<T> =
	| { action: 'delete'; oldValue: T }
	| { action: 'update'; oldValue: T; newValue: T }
	| { action: 'add'; newValue: T }

export type KeyValueListener<T> = (
	changes: Map<string, KeyValueChange<T>>,
	tr: Y.Transaction,
) => void

/**
 * A read-only YKeyValue: the same values (rightmost entry wins) and the same `change` events, but
 * it never writes to the doc (no duplicate clean-up). Each change re-reads the array: a read-only
 * peer's cost, O(entries) per transaction.
 */
export class KeyValueReader<T> {
	private current: Map<string, T>
	private readonly listeners = new Set<KeyValueListener<T>>()
	private readonly onArray = (
		_event: Y.YArrayEvent<{ key: string; val: T }>,
		tr: Y.Transaction,
	) => {
		const next = readKeyValue(this.array)
		const changes = diffKeyValues(this.current, next)
		this.current = next
		if (changes.size === 0) return
		for (const listener of this.listeners) listener(changes, tr)
	}

	constructor(private readonly array: Y.Array<{ key: string; val: T }>) {
		this.current = readKeyValue(array)
		array.observe(this.onArray)
	}

	/** The current value of every key. */
	get map(): ReadonlyMap<string, T> {
		return this.current
	}

	on(listener: KeyValueListener<T>): void {
		this.listeners.add(listener)
	}

	off(listener: KeyValueListener<T>): void {
		this.listeners.delete(listener)
	}

	destroy(): void {
		this.listeners.clear()
		this.array.unobserve(this.onArray)
	}
}

/** What changed from `before` to `after`, by identity of the values (as YKeyValue compares entries). */
export function diffKeyValues<T>(
	before: ReadonlyMap<string, T>,
	after: ReadonlyMap<string, T>,
): Map<string, KeyValueChange<T>> {
	const changes = new Map<string, KeyValueChange<T>>()
	for (const [key, oldValue] of before) {
		if (!after.has(key)) changes.set(key, { action: 'delete', oldValue })
	}
	for (const [key, newValue] of after) {
		if (!before.has(key)) changes.set(key, { action: 'add', newValue })
		else {
			const oldValue = before.get(key) as T
			if (oldValue !== newValue) changes.set(key, { action: 'update', oldValue, newValue })
		}
	}
	return changes
}
