import type { TLRecord } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Job } from '../shared/api'
import { BoardAccessSchema } from '../shared/clientView'
import { readPngTextChunks } from '../shared/provenance/pngText'
import type { GenerationShape } from '../shared/shapes/generationShape'
import { projectionShapeIds } from './collab/projectionRecords'
import { auditOf } from './queries/audit'
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
import { buildGuest, buildShareLink } from './test/sharing'
import { testBackend } from './test/testBackend'

// The client view end to end: a real server, real jobs, a guest who joined through a client link
// and a real y-websocket client on the board's projection.

const PROMPT = 'sunset over a quiet ocean'
const HIDDEN_PROMPT = 'classified harbour at night'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let editor: TestUser
let guest: TestUser
let boardId: string
/** imagine (grid of 4) → upscale of candidate 1: the final that gets published. */
let grid: Job
let final: Job
/** vary of candidate 2 with a different prompt: never published until a test does. */
let hidden: Job
const clients: ReturnType<typeof connectBoard>[] = []

const board = (path = '') => `/api/boards/${boardId}${path}`
const ownerApi = () => api(server, owner.cookie)
const guestApi = () => api(server, guest.cookie)

async function runJob(body: Record<string, unknown>): Promise<Job> {
	const res = await ownerApi().post(board('/jobs'), body)
	expect(res.status, JSON.stringify(res.body)).toBe(202)
	return waitForJob(server, owner, boardId, res.body.job.id)
}

function connectGuest() {
	const client = connectBoard(server, boardId, guest)
	clients.push(client)
	return client
}

const generationNodes = (records: TLRecord[]) =>
	records.filter(
		(r): r is GenerationShape => r.typeName === 'shape' && r.type === 'arbor-generation',
	)

/** Everything a client's doc holds, as text: its binary state and every shared type's JSON. */
function serialize(doc: Y.Doc): string {
	const binary = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1')
	const json = [...doc.share.entries()].map(([name, type]) => {
		// A type the client never asked for by kind is an AbstractType: read it as the kind it is.
		const typed = type._map.size > 0 ? doc.getMap(name) : doc.getArray(name)
		return JSON.stringify(typed.toJSON())
	})
	return `${binary}\n${json.join('\n')}`
}

const publish = (imageId: string) => ownerApi().raw('PUT', board(`/publications/${imageId}`))
const unpublish = (imageId: string) => ownerApi().raw('DELETE', board(`/publications/${imageId}`))
const setView = (patch: Record<string, boolean>) =>
	ownerApi().raw('PATCH', board('/client-view'), patch)

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	owner = await buildUser(server, 'Olivia')
	editor = await buildUser(server, 'Ed')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, editor, 'editor')
	grid = await runJob({ op: 'imagine', prompt: PROMPT, params: { aspectRatio: '1:1', seed: 11 } })
	final = await runJob({
		op: 'upscale',
		parentImageId: grid.images[1].id,
		params: { mode: 'subtle', factor: 2 },
	})
	hidden = await runJob({ op: 'remix', parentImageId: grid.images[2].id, prompt: HIDDEN_PROMPT })

	const link = await buildShareLink(server, owner, boardId, { role: 'client', label: 'Acme' })
	guest = await buildGuest(server, link.token, 'Acme')
	expect((await publish(final.images[0].id)).status).toBe(200)
})

afterAll(async () => {
	for (const c of clients.splice(0)) c.destroy()
	await server.close()
	tmp.remove()
})

describe('the client view over the websocket', () => {
	it('holds exactly the published pick and its lineage path, and nothing unpublished', async () => {
		const client = connectGuest()
		const nodes = await waitFor('the projection', () => {
			const found = generationNodes(client.all())
			return client.provider.synced && found.length === 2 ? found : null
		})
		const pick = final.images[0]
		const parent = grid.images[1]
		expect(nodes.map((n) => n.id).sort()).toEqual(
			[projectionShapeIds(parent.id).node, projectionShapeIds(pick.id).node].sort(),
		)
		const pickNode = client.get(projectionShapeIds(pick.id).node) as GenerationShape
		expect(pickNode.props).toMatchObject({
			kind: 'final',
			slots: 1,
			status: 'done',
			prompt: '',
			candidates: [{ imageId: pick.id }],
		})
		const parentNode = client.get(projectionShapeIds(parent.id).node) as GenerationShape
		expect(parentNode.props).toMatchObject({ kind: 'grid', committed: [parent.id], prompt: '' })
		expect(parentNode.x).toBeLessThan(pickNode.x)
		expect(client.get(projectionShapeIds(pick.id).arrowStart)).toMatchObject({
			toId: parentNode.id,
		})

		const text = serialize(client.doc)
		const unpublished = [grid.images[0], grid.images[2], grid.images[3], ...hidden.images]
		for (const image of unpublished) expect(text).not.toContain(image.id)
		expect(text).not.toContain(hidden.id)
		expect(text).not.toContain(PROMPT)
		expect(text).not.toContain(HIDDEN_PROMPT)
		// The board's own shapes (job-derived ids, the prompt card) are not there either.
		expect(text).not.toContain(`shape:gen-${grid.id}`)
		expect(text).not.toContain(`shape:prompt-${grid.id}`)
	})

	it('follows publishing, settings and unpublishing live', async () => {
		const client = connectGuest()
		const hiddenImage = hidden.images[0]
		await waitFor('synced', () => client.provider.synced && generationNodes(client.all()).length)

		expect((await publish(hiddenImage.id)).status).toBe(200)
		const added = await waitFor('the new pick', () =>
			client.get(projectionShapeIds(hiddenImage.id).node),
		)
		expect((added as GenerationShape).props.kind).toBe('final')
		// Its ancestor, candidate 2 of the grid, came with it, in a row of its own.
		const ancestor = client.get(projectionShapeIds(grid.images[2].id).node) as GenerationShape
		expect(ancestor.props.kind).toBe('grid')
		expect(ancestor.y).toBeGreaterThan(
			(client.get(projectionShapeIds(grid.images[1].id).node) as GenerationShape).y,
		)

		expect((await setView({ showPrompts: true })).status).toBe(200)
		await waitFor(
			'prompts shown',
			() =>
				(client.get(projectionShapeIds(hiddenImage.id).node) as GenerationShape)?.props.prompt ===
				HIDDEN_PROMPT,
		)
		expect((await setView({ showPrompts: false })).status).toBe(200)
		await waitFor('prompts hidden again', () => !serialize(client.doc).includes(HIDDEN_PROMPT))

		expect((await unpublish(hiddenImage.id)).status).toBe(204)
		await waitFor(
			'the pick and its own ancestor gone',
			() =>
				!client.get(projectionShapeIds(hiddenImage.id).node) &&
				!client.get(projectionShapeIds(grid.images[2].id).node),
		)
		expect(generationNodes(client.all())).toHaveLength(2)
		// A client connecting now is sent nothing of it, not even in the doc's history.
		const late = connectGuest()
		await waitFor('late client', () => late.provider.synced && generationNodes(late.all()).length)
		const text = serialize(late.doc)
		expect(text).not.toContain(hiddenImage.id)
		expect(text).not.toContain(grid.images[2].id)
	})

	it('shows clients review badges of published picks only, and no job progress', async () => {
		const client = connectGuest()
		const member = connectBoard(server, boardId, owner)
		clients.push(member)
		await waitFor('synced', () => client.provider.synced && member.provider.synced)
		const serverState = (c: ReturnType<typeof connectBoard>) =>
			[...c.provider.awareness.getStates().values()].find((s) => s.kind === 'arbor-server')

		server.ctx.boards.setJobProgress(boardId, hidden.id, {
			status: 'running',
			progress: 0.5,
			position: null,
			etaMs: null,
		})
		await waitFor('progress on the board', () => serverState(member)?.jobs?.[hidden.id])
		const pick = final.images[0].id
		// On the client's canvas (the pick's parent), but the team's verdict on it is internal.
		const ancestor = grid.images[1].id
		const unpublished = grid.images[0].id
		for (const imageId of [pick, ancestor, unpublished]) {
			const res = await ownerApi().raw('PUT', board(`/images/${imageId}/decision`), {
				state: 'approved',
			})
			expect(res.status, JSON.stringify(res.body)).toBe(200)
		}
		const said = await ownerApi().post(board(`/images/${ancestor}/comments`), {
			body: 'internal: the parent was a close call',
		})
		expect(said.status, JSON.stringify(said.body)).toBe(201)
		server.ctx.projections.refresh(boardId)
		const state = await waitFor('badges on the client view', () => serverState(client)?.review)
		expect(state.decisions).toEqual({ [pick]: 'approved' })
		expect(state.comments).toEqual({})
		const everything = JSON.stringify([...client.provider.awareness.getStates().values()])
		expect(everything).not.toContain(hidden.id)
		expect(everything).not.toContain(unpublished)
		expect(everything).not.toContain(ancestor)
		// Over HTTP too: the ancestor's image is readable, its discussion is not.
		expect((await guestApi().get(board(`/images/${ancestor}`))).status).toBe(200)
		expect((await guestApi().get(board(`/images/${ancestor}/comments`))).status).toBe(404)
		const review = (await guestApi().get(board('/review'))).body
		expect(review.marks.decisions).toEqual({ [pick]: 'approved' })
		expect(review.comments).toEqual([])
		server.ctx.boards.setJobProgress(boardId, hidden.id, null)
	})

	it("drops the client's writes: neither the projection nor the board doc changes", async () => {
		const boardDoc = server.ctx.boards.getDoc(boardId)
		const before = Y.encodeStateVector(boardDoc)
		const client = connectGuest()
		await waitFor('synced', () => client.provider.synced && generationNodes(client.all()).length)
		const pickId = projectionShapeIds(final.images[0].id).node
		client.records.set('shape:forged', { ...client.get(pickId)!, id: 'shape:forged' } as TLRecord)
		client.records.delete(pickId)
		// A later server change proves the channel works and the client's writes were not queued.
		await setView({ showSeeds: true })
		await setView({ showSeeds: false })
		const late = connectGuest()
		await waitFor('late client', () => late.provider.synced && generationNodes(late.all()).length)
		expect(late.get('shape:forged')).toBeUndefined()
		expect(late.get(pickId)).toBeDefined()
		expect(server.ctx.boards.getRecord(boardId, 'shape:forged')).toBeUndefined()
		expect(Y.encodeStateVector(server.ctx.boards.getDoc(boardId))).toEqual(before)
	})
})

describe('client reads over HTTP', () => {
	it('answers 404 for an unpublished image exactly as for a missing one', async () => {
		const missing = 'img_doesnotexist01'
		for (const suffix of ['', '/file', '/file?size=thumb', '/file?size=small', '/lineage']) {
			const unpublished = await guestApi().get(board(`/images/${grid.images[0].id}${suffix}`))
			const absent = await guestApi().get(board(`/images/${missing}${suffix}`))
			expect(unpublished.status, suffix).toBe(404)
			expect(unpublished.body).toEqual(absent.body)
		}
		// A member still reads it.
		expect((await ownerApi().get(board(`/images/${grid.images[0].id}`))).status).toBe(200)
	})

	it('strips provenance of what the owner does not show, down to the PNG chunks', async () => {
		const pick = final.images[0]
		const res = await guestApi().get(board(`/images/${pick.id}`))
		expect(res.status).toBe(200)
		expect(res.body.image).toMatchObject({
			id: pick.id,
			op: 'upscale',
			parentImageId: grid.images[1].id,
			createdBy: { name: 'Olivia' },
		})
		for (const key of ['prompt', 'negativePrompt', 'seed', 'cost', 'worker', 'checks'])
			expect(res.body.image, key).not.toHaveProperty(key)
		// Nor the team's tools: engine, model, version.
		for (const key of ['backend', 'model', 'version', 'requestedModel', 'engine'])
			expect(res.body.image, key).not.toHaveProperty(key)

		const file = await fetch(`${server.url}${board(`/images/${pick.id}/file?size=full`)}`, {
			headers: { cookie: guest.cookie },
		})
		expect(file.status).toBe(200)
		const png = new Uint8Array(await file.arrayBuffer())
		expect(readPngTextChunks(png)).toEqual([])
		expect(Buffer.from(png).toString('latin1')).not.toContain(PROMPT)
		// The owner's copy still carries its provenance.
		const full = await fetch(`${server.url}${board(`/images/${pick.id}/file?size=full`)}`, {
			headers: { cookie: owner.cookie },
		})
		const chunks = readPngTextChunks(new Uint8Array(await full.arrayBuffer()))
		expect(chunks.map((c) => c.keyword)).toContain('arbor')
		expect(file.headers.get('etag')).not.toBe(full.headers.get('etag'))

		const lineage = await guestApi().get(board(`/images/${pick.id}/lineage`))
		expect(lineage.body.lineage.map((s: { imageId: string }) => s.imageId)).toEqual([
			grid.images[1].id,
			pick.id,
		])
		for (const step of lineage.body.lineage) {
			expect(step).not.toHaveProperty('prompt')
			expect(step).not.toHaveProperty('seed')
			expect(step.params).not.toHaveProperty('seed')
			// The team's tools are not the client's business, step by step too.
			expect(step).not.toHaveProperty('engine')
			expect(step).not.toHaveProperty('model')
		}
	})

	it('shows prompts, seeds and costs once the owner turns them on', async () => {
		const res = await setView({ showPrompts: true, showSeeds: true, showCosts: true })
		expect(res.body.settings).toEqual({
			showPrompts: true,
			showSeeds: true,
			showCosts: true,
			allowComments: false,
		})
		try {
			const image = (await guestApi().get(board(`/images/${grid.images[1].id}`))).body.image
			expect(image).toMatchObject({ prompt: PROMPT, params: { seed: 11 } })
			expect(typeof image.seed).toBe('number')
			expect(typeof image.cost).toBe('number')
			const lineage = await guestApi().get(board(`/images/${final.images[0].id}/lineage`))
			expect(lineage.body.lineage[0]).toMatchObject({ prompt: PROMPT })
		} finally {
			await setView({ showPrompts: false, showSeeds: false, showCosts: false })
		}
	})

	it('opens the board to the client without its budget, and keeps every other route closed', async () => {
		const res = await guestApi().get(board())
		expect(res.status).toBe(200)
		const olivia = { id: owner.id, name: 'Olivia' }
		expect(res.body).toMatchObject({ role: 'client', board: { id: boardId }, owner: olivia })
		expect(res.body.board).not.toHaveProperty('budgetCap')
		expect(res.body.clientView).toMatchObject({ showPrompts: false })
		const member = await ownerApi().get(board())
		expect(member.body).toMatchObject({
			role: 'owner',
			clientView: { showPrompts: false },
			owner: olivia,
		})
		expect(member.body.board).toHaveProperty('budgetCap')
		const asEditor = await api(server, editor.cookie).get(board())
		expect(asEditor.body).toMatchObject({ role: 'editor', owner: olivia })
		// The one shared schema reads every role's answer (the client parses it with the same).
		for (const body of [res.body, member.body, asEditor.body])
			expect(BoardAccessSchema.safeParse(body).success).toBe(true)

		for (const path of [
			`/jobs/${grid.id}`,
			'/members',
			'/finals',
			'/lineage.json',
			'/publications',
			'/usage',
		])
			expect((await guestApi().get(board(path))).status, path).toBe(403)
		expect((await guestApi().raw('PUT', board(`/publications/${grid.images[0].id}`))).status).toBe(
			403,
		)
	})
})

describe('publications', () => {
	it('lets only the owner publish, lists for editors, and audits every change', async () => {
		const editorApi = api(server, editor.cookie)
		const target = grid.images[3].id
		expect((await editorApi.raw('PUT', board(`/publications/${target}`))).status).toBe(403)
		expect(
			(await editorApi.raw('PATCH', board('/client-view'), { showPrompts: true })).status,
		).toBe(403)
		const listed = await editorApi.get(board('/publications'))
		expect(listed.body).toEqual({
			imageIds: [final.images[0].id],
			settings: { showPrompts: false, showSeeds: false, showCosts: false, allowComments: false },
		})

		const first = await publish(target)
		expect(first.body.publication).toMatchObject({ imageId: target, publishedBy: { id: owner.id } })
		expect((await publish(target)).status).toBe(200)
		expect((await unpublish(target)).status).toBe(204)
		expect((await unpublish(target)).status).toBe(204)
		expect((await publish('img_doesnotexist01')).status).toBe(404)
		expect((await setView({ allowComments: false })).status).toBe(200)
		expect((await setView({ showEverything: true })).status).toBe(400)

		const trail = auditOf(server.ctx.db, boardId).filter((e) => e.target === target)
		// Newest first; the repeated publish and unpublish changed nothing and left no record.
		expect(trail.map((e) => e.action)).toEqual(['publication.removed', 'publication.added'])
		expect(trail[0].actor?.id).toBe(owner.id)
		const settings = auditOf(server.ctx.db, boardId).filter(
			(e) => e.action === 'client_view.updated',
		)
		expect(settings.length).toBeGreaterThan(0)
		expect(settings[0].detail).toHaveProperty('changes')
	})

	it('refuses to publish an image of another board', async () => {
		const other = await buildBoard(server, owner, 'Elsewhere')
		const res = await ownerApi().raw(
			'PUT',
			`/api/boards/${other.id}/publications/${final.images[0].id}`,
		)
		expect(res.status).toBe(404)
	})
})
