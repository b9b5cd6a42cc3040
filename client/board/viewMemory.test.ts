import { describe, expect, it } from 'vitest'
import { readView, viewKey, writeView } from './viewMemory'

function memoryStorage() {
	const items = new Map<string, string>()
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
	}
}

describe('view memory', () => {
	it('gives back the camera and selection saved for this person on this board', () => {
		const storage = memoryStorage()
		const view = { x: -120, y: 40.5, z: 0.75, selected: ['shape:node_a'] }
		writeView(storage, viewKey('b1', 'u1'), view)
		expect(readView(storage, viewKey('b1', 'u1'))).toEqual(view)
		expect(readView(storage, viewKey('b1', 'u2'))).toBeNull()
		expect(readView(storage, viewKey('b2', 'u1'))).toBeNull()
	})

	it('ignores an entry that is not a view', () => {
		const storage = memoryStorage()
		storage.setItem('k', '{not json')
		expect(readView(storage, 'k')).toBeNull()
		storage.setItem('k', JSON.stringify({ x: 0, y: 0, z: 0, selected: [] }))
		expect(readView(storage, 'k')).toBeNull()
	})
})
