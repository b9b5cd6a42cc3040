import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLRecord } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { isLockedCommitted } from './lockGuard'
import {
	BOARD,
	clientShape,
	connectClient,
	startCollabServer,
	type TestClient,
	type TestCollabServer,
	testShape,
	waitFor,
} from './testing'

/** A final as the server leaves it when a commit's upscale is done: committed and locked. */
function lockedFinal(n: number): GenerationShape {
	const shape = testShape(n, 'done')
	return {
		...shape,
		isLocked: true,
		props: {
			...shape.props,
			op: 'upscale',
			kind: 'final',
			slots: 1,
			committed: [`img_final${n}000`],
		},
	}
}

describe('isLockedCommitted', () => {
	const final = lockedFinal(1)
	it.each([
		['a locked committed final', true, final],
		['an unlocked final', false, { ...final, isLocked: false }],
		[
			'a locked final with nothing committed',
			false,
			{ ...final, props: { ...final.props, committed: [] } },
		],
		['a locked grid', false, { ...final, props: { ...final.props, kind: 'grid' } }],
		['nothing', false, undefined],
	])('says whether %s is guarded: %s', (_name, expected, record) => {
		expect(isLockedCommitted(record as TLRecord | undefined)).toBe(expected)
	})
})

describe('the lock guard', () => {
	let dir: string
	let server: TestCollabServer
	let clients: TestClient[]
	const final = lockedFinal(1)
	const loose = testShape(2, 'done')

	function client(as: string) {
		const c = connectClient(server, as)
		clients.push(c)
		return c
	}

	/**
	 * Writes a marker from `from` and waits until `to` has it. Updates from one socket are applied
	 * in order and a restore is written while its update is applied, so once the marker arrived,
	 * any restore the earlier change caused has arrived too.
	 */
	async function settle(from: TestClient, to: TestClient, n: number) {
		const marker = clientShape(100 + n)
		from.records.set(marker.id, marker)
		await waitFor(`marker ${n}`, () => to.get(marker.id))
	}

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'arbor-lock-'))
		server = await startCollabServer({ dbFile: join(dir, 'arbor.db') })
		clients = []
		server.collab.boards.writeRecords(BOARD, [final, loose])
	})

	afterEach(async () => {
		for (const c of clients) c.destroy()
		await server.close()
		rmSync(dir, { recursive: true, force: true })
	})

	it('restores a locked committed final an editor deleted, on the server and every client', async () => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor(
			'both clients to have the final',
			() => editor.get(final.id) && other.get(final.id),
		)

		editor.records.delete(final.id)
		expect(editor.get(final.id)).toBeUndefined()
		await settle(editor, other, 1)

		expect(server.collab.boards.getRecord(BOARD, final.id)).toEqual(final)
		expect(other.get(final.id)).toEqual(final)
		await waitFor('the editor to get it back', () => editor.get(final.id))
		expect(editor.get(final.id)).toEqual(final)
	})

	it('puts the lock back when an editor unlocks or moves the final, and leaves other shapes alone', async () => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor('the final to arrive', () => editor.get(final.id) && other.get(loose.id))

		editor.records.set(final.id, { ...final, isLocked: false, x: final.x + 500 })
		editor.records.delete(loose.id)
		await settle(editor, other, 2)

		expect(server.collab.boards.getRecord(BOARD, final.id)).toEqual(final)
		await waitFor(
			'the editor to see the lock again',
			() => (editor.get(final.id) as GenerationShape | undefined)?.isLocked,
		)
		expect(editor.get(final.id)).toEqual(final)
		// An unlocked shape is the editor's to delete.
		expect(server.collab.boards.getRecord(BOARD, loose.id)).toBeUndefined()
		expect(other.get(loose.id)).toBeUndefined()
	})

	it('lets an owner unlock and delete a locked committed final', async () => {
		const owner = client('alice')
		const editor = client('bob')
		await waitFor('the final to arrive', () => owner.get(final.id) && editor.get(final.id))

		owner.records.set(final.id, { ...final, isLocked: false })
		await settle(owner, editor, 3)
		const unlocked = server.collab.boards.getRecord(BOARD, final.id) as GenerationShape
		expect(unlocked.isLocked).toBe(false)

		owner.records.delete(final.id)
		await settle(owner, editor, 4)
		expect(server.collab.boards.getRecord(BOARD, final.id)).toBeUndefined()
		expect(editor.get(final.id)).toBeUndefined()
	})

	it('guards a final locked after the editor connected, and stops guarding one the owner deleted', async () => {
		const later = lockedFinal(3)
		const editor = client('bob')
		const owner = client('alice')
		await waitFor('both to sync', () => editor.provider.synced && owner.provider.synced)
		// The guard exists from the editor's first update on; the lock arrives after it.
		await settle(editor, owner, 5)
		server.collab.boards.writeRecords(BOARD, [later])
		await waitFor('the new final to arrive', () => editor.get(later.id))

		editor.records.delete(later.id)
		await settle(editor, owner, 6)
		expect(owner.get(later.id)).toEqual(later)

		owner.records.delete(later.id)
		await settle(owner, editor, 7)
		// Written again by the server as an ordinary shape, then deleted by the editor: no restore.
		server.collab.boards.writeRecords(BOARD, [{ ...later, isLocked: false }])
		await waitFor('the unlocked copy to arrive', () => editor.get(later.id))
		editor.records.delete(later.id)
		await settle(editor, owner, 8)
		expect(owner.get(later.id)).toBeUndefined()
	})
})
