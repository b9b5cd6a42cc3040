import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLRecord, TLShapeId } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES, META_KEY, SCHEMA_KEY } from '../../shared/collab'
import { buildPromptCard } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { PromptShape } from '../../shared/shapes/promptShape'
import { SYNC_UPDATE } from './messages'
import {
	BOARD,
	connectClient,
	connectRaw,
	frameRecord,
	startCollabServer,
	syncFrame,
	type TestClient,
	type TestCollabServer,
	testShape,
	waitFor,
} from './testing'

// Editors' writes are checked like tldraw's sync room checks pushes (#12 item 7).

let dir: string
let server: TestCollabServer
let clients: TestClient[]
const node = testShape(1, 'done')

function client(as: string) {
	const c = connectClient(server, as)
	clients.push(c)
	return c
}

/** A marker from `from` reaching `to` means every restore caused before it has arrived too. */
async function settle(from: TestClient, to: TestClient, n: number) {
	const marker = frameRecord(`marker-${n}`)
	from.records.set(marker.id, marker)
	await waitFor(`marker ${n}`, () => to.get(marker.id))
}

const onServer = (id: string) => server.collab.boards.getRecord(BOARD, id)

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'arbor-write-'))
	server = await startCollabServer({ dbFile: join(dir, 'arbor.db') })
	clients = []
	server.collab.boards.writeRecords(BOARD, [node])
})

afterEach(async () => {
	for (const c of clients) c.destroy()
	await server.close()
	rmSync(dir, { recursive: true, force: true })
})

describe('the write guard', () => {
	it('keeps an editor’s valid writes: frames, moves and resizes of nodes, deletions', async () => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor('sync', () => editor.get(node.id) && other.get(node.id))
		const moved = { ...node, x: 900, props: { ...node.props, w: node.props.w * 2 } }
		editor.records.set(node.id, moved)
		await settle(editor, other, 1)
		expect(onServer(node.id)).toEqual(moved)
		expect(onServer('shape:marker-1')).toBeTruthy()
		editor.records.delete(node.id)
		await settle(editor, other, 2)
		expect(onServer(node.id)).toBeUndefined()
		// Undo brings the same node back.
		editor.records.set(node.id, moved)
		await settle(editor, other, 3)
		expect(onServer(node.id)).toEqual(moved)
	})

	it.each([
		['a record failing the schema', { ...frameRecord('bad'), props: { w: 'wide' } }],
		['a record of no known type', { id: 'shape:x', typeName: 'spaceship' }],
		['a session record', { id: 'instance:instance', typeName: 'instance' }],
		['a node beyond the board', frameRecord('far', 1e308)],
		['a node the server never made', testShape(7, 'done')],
		[
			'an image asset from another site',
			{
				id: 'asset:evil',
				typeName: 'asset',
				type: 'image',
				props: {
					name: 'x.png',
					src: 'https://evil.example/track.png',
					w: 10,
					h: 10,
					mimeType: 'image/png',
					isAnimated: false,
				},
				meta: {},
			},
		],
	])('drops and reverts %s for everyone, the sender included', async (_, bad) => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor('sync', () => editor.provider.synced && other.provider.synced)
		const id = (bad as { id: string }).id
		editor.records.set(id, bad as TLRecord)
		await settle(editor, other, 4)
		expect(onServer(id)).toBeUndefined()
		expect(other.get(id)).toBeUndefined()
		await waitFor('the sender to lose it', () => !editor.get(id))
	})

	it.each([
		['status', { status: 'failed' }],
		['jobId', { jobId: 'job_forged01' }],
		['candidates', { candidates: [{ imageId: 'img_forged01', width: 64, height: 64 }] }],
		['committed', { committed: ['img_forged01'] }],
		['prompt', { prompt: 'something else' }],
	])('puts back %s when an editor or owner forges it on a node', async (_, forged) => {
		for (const as of ['bob', 'alice']) {
			const writer = client(as)
			const other = client(as === 'bob' ? 'alice' : 'bob')
			await waitFor('sync', () => writer.get(node.id) && other.get(node.id))
			writer.records.set(node.id, {
				...node,
				props: { ...node.props, ...forged },
			} as GenerationShape)
			await settle(writer, other, as === 'bob' ? 5 : 6)
			expect(onServer(node.id)).toEqual(node)
			await waitFor('the writer to get it back', () => {
				const now = writer.get(node.id) as GenerationShape | undefined
				return now && JSON.stringify(now.props) === JSON.stringify(node.props)
			})
		}
	})

	it('keeps a recall card an editor dropped, but not one turned into a job’s card', async () => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor('sync', () => editor.provider.synced && other.provider.synced)
		const card = {
			...buildPromptCard({
				jobId: '',
				prompt: 'a lighthouse at dusk',
				aspectRatio: '3:2',
				author: 'Bob',
				x: 0,
				y: 0,
				index: 'a4' as IndexKey,
			}),
			id: 'shape:recall-1' as TLShapeId,
			meta: { recall: { source: 'a1111' } },
		} as PromptShape
		editor.records.set(card.id, card)
		await settle(editor, other, 8)
		expect(onServer(card.id)).toEqual(card)
		expect(other.get(card.id)).toEqual(card)
		// Bound to a job, it would claim the server's record of that job: put back.
		editor.records.set(card.id, { ...card, props: { ...card.props, jobId: 'job_forged01' } })
		await settle(editor, other, 9)
		expect(onServer(card.id)).toEqual(card)
	})

	it('restores the schema in meta when a client rewrites it', async () => {
		const editor = client('bob')
		const other = client('alice')
		await waitFor('sync', () => editor.provider.synced && other.provider.synced)
		const schema = editor.doc.getMap(META_KEY).get(SCHEMA_KEY)
		expect(schema).toBeTruthy()
		editor.doc.getMap(META_KEY).set(SCHEMA_KEY, { schemaVersion: 99, sequences: {} })
		editor.doc.getMap(META_KEY).set('extra', 'x')
		await settle(editor, other, 7)
		const doc = server.collab.boards.getDoc(BOARD)
		expect(doc.getMap(META_KEY).get(SCHEMA_KEY)).toEqual(schema)
		expect(doc.getMap(META_KEY).has('extra')).toBe(false)
		await waitFor(
			'the editor to get the schema back',
			() => JSON.stringify(editor.doc.getMap(META_KEY).get(SCHEMA_KEY)) === JSON.stringify(schema),
		)
	})

	it('refuses an update that creates another root type, closing the sender', async () => {
		const scratch = new Y.Doc()
		scratch.getMap('junk').set('blob', 'x'.repeat(1000))
		const raw = connectRaw(server, '?as=bob')
		await raw.opened
		raw.send(syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(scratch)))
		expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
		expect(server.collab.boards.getDoc(BOARD).share.has('junk')).toBe(false)
	})
})
