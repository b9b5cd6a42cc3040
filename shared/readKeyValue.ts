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
