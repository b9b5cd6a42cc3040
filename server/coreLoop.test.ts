import type { TLArrowBinding, TLRecord } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { candidateAnchor } from '../shared/layout'
import { jobShapeIds } from '../shared/records'
import type { GenerationShape } from '../shared/shapes/generationShape'
import { frameRecord } from './collab/testing'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let alice: TestUser
let bob: TestUser
let boardId: string
const clients: ReturnType<typeof connectBoard>[] = []

function connect(user: TestUser) {
	const client = connectBoard(server, boardId, user)
	clients.push(client)
	return client
}

const nodeOf = (client: ReturnType<typeof connectBoard>, jobId: string) =>
	client.get(jobShapeIds(jobId).node) as GenerationShape | undefined

beforeEach(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	alice = await buildUser(server, 'Alice')
	bob = await buildUser(server, 'Bob')
	boardId = (await buildBoard(server, alice)).id
	await addMember(server, alice, boardId, bob, 'editor')
})

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy()
	await server.close()
	tmp.remove()
})

async function imagine(user: TestUser, prompt = 'sunset over a quiet ocean') {
	const res = await api(server, user.cookie).post(`/api/boards/${boardId}/jobs`, {
		op: 'imagine',
		prompt,
		params: { aspectRatio: '1:1' },
		at: { x: 100, y: 200 },
	})
	expect(res.status).toBe(202)
	return res.body.job as { id: string; status: string }
}

describe('the core loop', () => {
	it('shows the same grid of four to two collaborators as it is made', async () => {
		const a = connect(alice)
		const b = connect(bob)
		await waitFor('both synced', () => a.provider.synced && b.provider.synced)

		const job = await imagine(alice)
		expect(job.status).toBe('queued')
		// The placeholder is there at once, for both.
		await waitFor('placeholder on both', () => nodeOf(a, job.id) && nodeOf(b, job.id))
		expect(a.get(jobShapeIds(job.id).prompt)).toBeDefined()

		const done = await waitFor('grid on both', () => {
			const na = nodeOf(a, job.id)
			const nb = nodeOf(b, job.id)
			return na?.props.status === 'done' && nb?.props.status === 'done' ? [na, nb] : null
		})
		expect(done[0].props.candidates).toHaveLength(4)
		expect(done[1].props.candidates).toEqual(done[0].props.candidates)
		const ids = new Set(done[0].props.candidates.map((c) => c.imageId))
		expect(ids.size).toBe(4)

		const record = await api(server, bob.cookie).get(`/api/boards/${boardId}/jobs/${job.id}`)
		expect(record.body.job.images.map((i: { id: string }) => i.id)).toEqual([
			...done[0].props.candidates.map((c) => c.imageId),
		])
	})

	it('branches a variation from the exact candidate, with an arrow bound to it', async () => {
		const a = connect(alice)
		const parent = await imagine(alice)
		const parentJob = await waitForJob(server, alice, boardId, parent.id)
		const picked = parentJob.images[2]

		const res = await api(server, bob.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'vary',
			parentImageId: picked.id,
			params: { strength: 'strong' },
		})
		expect(res.status).toBe(202)
		const child = res.body.job
		expect(child.parentImageId).toBe(picked.id)
		expect(child.parentJobId).toBe(parent.id)

		const ids = jobShapeIds(child.id)
		const parentNode = await waitFor('parent node', () => nodeOf(a, parent.id))
		const childNode = await waitFor('child node', () => nodeOf(a, child.id))
		expect(childNode.props.label).toBe('Vary (strong)')
		expect(childNode.x).toBeGreaterThan(parentNode.x + parentNode.props.w)

		const start = a.get(ids.arrowStart) as TLArrowBinding
		const end = a.get(ids.arrowEnd) as TLArrowBinding
		expect(start.fromId).toBe(ids.arrow)
		expect(end.fromId).toBe(ids.arrow)
		expect(start.toId).toBe(parentNode.id)
		expect(end.toId).toBe(childNode.id)
		expect(start.props.normalizedAnchor).toEqual(candidateAnchor(2, parentNode.props))
		expect(start.props.isPrecise).toBe(true)
		// It leaves from inside candidate 3's cell, not from where the line meets the node's edge.
		expect(start.props.isExact).toBe(true)
		expect(end.props.isExact).toBe(false)

		const finished = await waitForJob(server, alice, boardId, child.id)
		expect(finished.images).toHaveLength(4)
		const provenance = await api(server, alice.cookie).get(
			`/api/boards/${boardId}/images/${finished.images[0].id}`,
		)
		expect(provenance.body.image).toMatchObject({
			op: 'vary',
			parentImageId: picked.id,
			jobId: child.id,
			backend: 'builtin',
			prompt: 'sunset over a quiet ocean',
			params: { strength: 'strong' },
			createdBy: { id: bob.id, name: 'Bob' },
		})
	})

	it("drops a viewer's document updates: they reach neither the server nor others", async () => {
		const carol = await buildUser(server, 'Carol')
		await addMember(server, alice, boardId, carol, 'viewer')
		const a = connect(alice)
		const viewer = connect(carol)
		await waitFor('synced', () => a.provider.synced && viewer.provider.synced)

		viewer.records.set('shape:forged', {
			id: 'shape:forged',
			typeName: 'shape',
		} as unknown as TLRecord)
		// A later editor write proves the channel works and that the viewer's write was not queued.
		// A valid frame: the server's write guard reverts records an editor's client may not write.
		a.records.set('shape:marker', frameRecord('shape:marker'))
		await waitFor('marker reaches the viewer', () => viewer.get('shape:marker'))
		const late = connect(bob)
		await waitFor('late client synced', () => late.provider.synced && late.get('shape:marker'))
		expect(a.get('shape:forged')).toBeUndefined()
		expect(late.get('shape:forged')).toBeUndefined()
		expect(server.ctx.boards.getRecord(boardId, 'shape:forged')).toBeUndefined()
	})

	it('keeps the doc and every record across a server restart', async () => {
		const job = await imagine(alice)
		const done = await waitForJob(server, alice, boardId, job.id)
		const a = connect(alice)
		await waitFor('node', () => nodeOf(a, job.id)?.props.status === 'done')
		// A client may write a frame, never an Arbor node of its own (the write guard reverts it).
		a.records.set('shape:note-1', frameRecord('shape:note-1', 999))
		await waitFor('note persisted', () => server.ctx.boards.getRecord(boardId, 'shape:note-1'))
		for (const c of clients.splice(0)) c.destroy()
		await server.close()

		server = await buildServer({ dataDir: tmp.dir })
		const again = connect(alice)
		await waitFor('synced after restart', () => again.provider.synced)
		expect(nodeOf(again, job.id)?.props.candidates.map((c) => c.imageId)).toEqual(
			done.images.map((i) => i.id),
		)
		expect((again.get('shape:note-1') as TLRecord & { x: number }).x).toBe(999)
		const image = await api(server, alice.cookie).raw(
			'GET',
			`/api/boards/${boardId}/images/${done.images[0].id}/file?size=thumb`,
		)
		expect(image.status).toBe(200)
	})
})
