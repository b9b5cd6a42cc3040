import { eq } from 'drizzle-orm'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../shared/api'
import { ServerAwarenessSchema } from '../shared/collab'
import { readPngTextChunks } from '../shared/provenance/pngText'
import { jobShapeIds } from '../shared/records'
import type { Comment, Decision, ReviewMarks } from '../shared/review'
import type { GenerationShape } from '../shared/shapes/generationShape'
import { decisions } from './db/schema'
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
import { testBackend } from './test/testBackend'

// Review end to end: a real server and SQLite file, real jobs (a fast test backend), real
// y-websocket clients for the live badges, and a guest on a client link for the client rules.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let editor: TestUser
let viewer: TestUser
let guest: TestUser
let boardId: string
/** A grid of four: the candidates under review. */
let grid: Job
const clients: ReturnType<typeof connectBoard>[] = []

const board = (path = '') => `/api/boards/${boardId}${path}`
const as = (user: TestUser) => api(server, user.cookie)
const candidate = (i: number) => grid.images[i].id
const setDecision = (user: TestUser, imageId: string, state: string) =>
	as(user).raw('PUT', board(`/images/${imageId}/decision`), { state })
const comment = (user: TestUser, imageId: string, body: string, parentId?: string) =>
	as(user).post(board(`/images/${imageId}/comments`), { body, parentId })
const resolve = (user: TestUser, commentId: string, resolved: boolean) =>
	as(user).raw('PATCH', board(`/comments/${commentId}`), { resolved })
const node = (jobId: string) =>
	server.ctx.boards.getRecord(boardId, jobShapeIds(jobId).node) as GenerationShape | undefined
const balanceOf = async (user: TestUser) =>
	(await as(user).get('/api/me')).body.credits.balance as number

/** The review marks in the server's awareness state, as a board client sees them. */
function marksSeenBy(client: ReturnType<typeof connectBoard>): ReviewMarks | undefined {
	for (const state of client.provider.awareness.getStates().values()) {
		const parsed = ServerAwarenessSchema.safeParse(state)
		if (parsed.success) return parsed.data.review
	}
	return undefined
}

function connect(user: TestUser) {
	const client = connectBoard(server, boardId, user)
	clients.push(client)
	return client
}

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	owner = await buildUser(server, 'Olivia')
	editor = await buildUser(server, 'Ed')
	viewer = await buildUser(server, 'Vic')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, editor, 'editor')
	await addMember(server, owner, boardId, viewer, 'viewer')
	const res = await as(owner).post(board('/jobs'), {
		op: 'imagine',
		prompt: 'a red kite over dunes',
		params: { aspectRatio: '1:1', seed: 3 },
	})
	expect(res.status, JSON.stringify(res.body)).toBe(202)
	grid = await waitForJob(server, owner, boardId, res.body.job.id)

	const link = await as(owner).post(board('/share-links'), { role: 'client', label: 'Acme' })
	expect(link.status, JSON.stringify(link.body)).toBe(201)
	const joined = await api(server).post(`/api/share/${link.body.link.token}/join`, { name: 'Acme' })
	expect(joined.status, JSON.stringify(joined.body)).toBe(201)
	guest = {
		id: joined.body.user.id,
		name: 'Acme',
		email: '',
		cookie: joined.headers.get('set-cookie')!.split(';')[0],
	}
})

afterAll(async () => {
	for (const c of clients.splice(0)) c.destroy()
	await server?.close()
	tmp?.remove()
})

describe('decisions', () => {
	it('records each change with the state it replaced, in history and the audit log', async () => {
		const image = candidate(0)
		const starred = await setDecision(editor, image, 'starred')
		expect(starred.status, JSON.stringify(starred.body)).toBe(200)
		expect(starred.body.decision).toMatchObject({
			imageId: image,
			state: 'starred',
			previous: 'none',
			by: { id: editor.id, name: 'Ed' },
		})
		const approved = await setDecision(owner, image, 'approved')
		expect(approved.body.decision).toMatchObject({ state: 'approved', previous: 'starred' })

		const history = await as(viewer).get(board(`/images/${image}/decisions`))
		expect(history.status).toBe(200)
		expect(history.body.decisions.map((d: Decision) => [d.previous, d.state])).toEqual([
			['none', 'starred'],
			['starred', 'approved'],
		])
		const audits = auditOf(server.ctx.db, boardId).filter((e) => e.action === 'decision.set')
		expect(audits.map((e) => [e.target, e.detail])).toEqual([
			[image, { state: 'approved', previous: 'starred' }],
			[image, { state: 'starred', previous: 'none' }],
		])
	})

	it('treats setting the current state again as a no-op returning the current decision', async () => {
		const image = candidate(0)
		const before = (await as(viewer).get(board(`/images/${image}/decisions`))).body.decisions
		const again = await setDecision(editor, image, 'approved')
		expect(again.status).toBe(200)
		expect(again.body.decision).toEqual(before.at(-1))
		const after = (await as(viewer).get(board(`/images/${image}/decisions`))).body.decisions
		expect(after).toHaveLength(before.length)
	})

	it("refuses 'committed' by hand, unknown images and images of other boards", async () => {
		expect((await setDecision(editor, candidate(1), 'committed')).status).toBe(400)
		expect((await setDecision(editor, 'img_doesnotexist1', 'starred')).status).toBe(404)
		expect((await setDecision(editor, 'not-an-id', 'starred')).status).toBe(400)
		const elsewhere = (await buildBoard(server, owner, 'Elsewhere')).id
		const res = await as(owner).raw(
			'PUT',
			`/api/boards/${elsewhere}/images/${candidate(1)}/decision`,
			{ state: 'starred' },
		)
		expect(res.status).toBe(404)
	})
})

describe('comments', () => {
	it('threads replies one level deep and resolves a whole thread from its root', async () => {
		const image = candidate(2)
		const root = await comment(owner, image, 'Love the light here')
		expect(root.status, JSON.stringify(root.body)).toBe(201)
		expect(root.body.comment).toMatchObject({ imageId: image, parentId: null, resolvedAt: null })
		const reply = await comment(editor, image, 'Agreed, but crop tighter', root.body.comment.id)
		expect(reply.body.comment.parentId).toBe(root.body.comment.id)
		const nested = await comment(owner, image, 'Done', reply.body.comment.id)
		// A reply to a reply joins the root's thread.
		expect(nested.body.comment.parentId).toBe(root.body.comment.id)

		const elsewhere = await comment(owner, candidate(3), 'Wrong image', root.body.comment.id)
		expect(elsewhere.status).toBe(404)

		const resolved = await resolve(editor, root.body.comment.id, true)
		expect(resolved.status).toBe(200)
		expect(resolved.body.comment.resolvedAt).toEqual(expect.any(String))
		const thread = (await as(viewer).get(board(`/images/${image}/comments`))).body
			.comments as Comment[]
		expect(thread.map((c) => c.body)).toEqual([
			'Love the light here',
			'Agreed, but crop tighter',
			'Done',
		])
		expect(thread.every((c) => c.resolvedAt !== null)).toBe(true)

		const reopened = await resolve(owner, root.body.comment.id, false)
		expect(reopened.body.comment.resolvedAt).toBeNull()
		const summary = (await as(viewer).get(board('/review/summary'))).body
		expect(summary.openComments.map((c: Comment) => c.id)).toContain(root.body.comment.id)
	})

	it('refuses empty bodies and malformed comment ids', async () => {
		expect((await comment(editor, candidate(2), '   ')).status).toBe(400)
		expect((await resolve(editor, 'cmt_', true)).status).toBe(400)
		expect((await resolve(editor, 'cmt_nosuchcomment', true)).status).toBe(404)
	})
})

describe('live badges', () => {
	it("publishes marks on the server's awareness to a connected client as they change", async () => {
		const client = connect(viewer)
		await waitFor('the client to sync', () => client.provider.wsconnected && marksSeenBy(client))
		const image = candidate(3)
		await setDecision(editor, image, 'rejected')
		await waitFor('the rejection badge', () => marksSeenBy(client)?.decisions[image] === 'rejected')
		const root = await comment(editor, image, 'Too busy')
		await waitFor('the comment badge', () => marksSeenBy(client)?.comments[image] === 1)
		await resolve(editor, root.body.comment.id, true)
		await waitFor('the badge to clear', () => marksSeenBy(client)?.comments[image] === undefined)
		const marks = marksSeenBy(client)!
		expect(marks.decisions).toMatchObject({ [candidate(0)]: 'approved', [image]: 'rejected' })
	})

	it('serves the same marks over GET /review as on the canvas', async () => {
		const res = await as(viewer).get(board('/review'))
		expect(res.status).toBe(200)
		const client = connect(editor)
		const live = await waitFor('marks', () => marksSeenBy(client))
		expect(res.body.marks).toEqual(live)
		expect(res.body.decisions.map((d: Decision) => d.imageId).sort()).toEqual(
			Object.keys(live.decisions).sort(),
		)
	})
})

describe('commit a pick', () => {
	let job: Job

	it('reserves the upscale, records the decision and the audit entry, and answers 202', async () => {
		const before = await balanceOf(editor)
		const res = await as(editor).post(board(`/images/${candidate(1)}/commit`), {
			params: { mode: 'subtle', factor: 2 },
		})
		expect(res.status, JSON.stringify(res.body)).toBe(202)
		job = res.body.job
		expect(job).toMatchObject({ op: 'upscale', parentImageId: candidate(1), cost: 8 })
		expect(res.body.decision).toMatchObject({
			imageId: candidate(1),
			state: 'committed',
			previous: 'none',
		})
		expect(await balanceOf(editor)).toBe(before - 8)
		const row = server.ctx.db
			.select()
			.from(decisions)
			.where(eq(decisions.id, res.body.decision.id))
			.get()
		expect(row?.jobId).toBe(job.id)
		const audit = auditOf(server.ctx.db, boardId).find((e) => e.action === 'pick.committed')
		expect(audit).toMatchObject({ target: candidate(1), detail: { jobId: job.id } })
	})

	it('ends with the final committed and locked on the canvas', async () => {
		const done = await waitForJob(server, editor, boardId, job.id)
		const final = node(job.id)!
		expect(final.isLocked).toBe(true)
		expect(final.props).toMatchObject({ kind: 'final', status: 'done' })
		expect(final.props.committed).toEqual([done.images[0].id])
		expect(node(grid.id)?.props.committed).toContain(candidate(1))
		const summary = (await as(viewer).get(board('/review/summary'))).body
		expect(summary.committed.map((d: Decision) => d.imageId)).toEqual([candidate(1)])
	})

	it('records nothing, not even a placeholder, when the upscale is refused', async () => {
		const capped = await as(owner).raw('PATCH', board(), { budgetCap: 0 })
		expect(capped.status, JSON.stringify(capped.body)).toBe(200)
		try {
			const image = candidate(3)
			const history = async () =>
				(await as(viewer).get(board(`/images/${image}/decisions`))).body.decisions as Decision[]
			const before = await history()
			const shapes = server.ctx.boards.readRecords(boardId).length
			const res = await as(editor).post(board(`/images/${image}/commit`), {})
			expect(res.status).toBe(402)
			expect(await history()).toEqual(before)
			expect(server.ctx.boards.readRecords(boardId)).toHaveLength(shapes)
			const commits = auditOf(server.ctx.db, boardId).filter((e) => e.action === 'pick.committed')
			expect(commits).toHaveLength(1)
		} finally {
			await as(owner).raw('PATCH', board(), { budgetCap: null })
		}
	})

	it('refuses to commit the same pick twice while its upscale stands', async () => {
		const before = await balanceOf(editor)
		const res = await as(editor).post(board(`/images/${candidate(1)}/commit`), {})
		expect(res.status).toBe(409)
		expect(await balanceOf(editor)).toBe(before)
	})

	it('exports finals with provenance, lineage and the review record as one zip', async () => {
		const res = await fetch(`${server.url}${board('/review.zip')}`, {
			headers: { cookie: viewer.cookie },
		})
		expect(res.status).toBe(200)
		const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
		const finalId = (await waitForJob(server, editor, boardId, job.id)).images[0].id
		expect(Object.keys(files).sort()).toEqual(
			[`finals/${finalId}.png`, 'decisions.json', 'lineage.json'].sort(),
		)
		const chunks = readPngTextChunks(files[`finals/${finalId}.png`])
		expect(chunks.find((c) => c.keyword === 'arbor')?.text).toContain(finalId)
		const record = JSON.parse(new TextDecoder().decode(files['decisions.json']))
		expect(record.decisions.map((d: Decision) => d.state).sort()).toEqual(
			['approved', 'committed', 'rejected'].sort(),
		)
		expect(record.history.length).toBeGreaterThan(record.decisions.length)
		expect(record.comments.length).toBeGreaterThanOrEqual(4)
	})
})

describe('who may review', () => {
	it('lets a viewer read but not mark, comment, resolve or commit', async () => {
		expect((await as(viewer).get(board('/review'))).status).toBe(200)
		expect((await setDecision(viewer, candidate(2), 'starred')).status).toBe(403)
		expect((await comment(viewer, candidate(2), 'me too')).status).toBe(403)
		const someComment = (await as(viewer).get(board('/review'))).body.comments[0] as Comment
		expect((await resolve(viewer, someComment.id, true)).status).toBe(403)
		expect((await as(viewer).post(board(`/images/${candidate(2)}/commit`), {})).status).toBe(403)
	})

	it('lets a client read only its view, and write only on published images when allowed', async () => {
		const published = candidate(2)
		// Nothing published yet: the client sees no review records at all.
		const empty = await as(guest).get(board('/review'))
		expect(empty.status, JSON.stringify(empty.body)).toBe(200)
		expect(empty.body).toEqual({
			marks: { decisions: {}, comments: {} },
			decisions: [],
			comments: [],
		})
		expect((await as(guest).get(board(`/images/${published}/comments`))).status).toBe(404)

		expect((await as(owner).raw('PUT', board(`/publications/${published}`))).status).toBe(200)
		const review = (await as(guest).get(board('/review'))).body
		expect(new Set(review.comments.map((c: Comment) => c.imageId))).toEqual(new Set([published]))
		expect(Object.keys(review.marks.comments)).toEqual([published])
		// Comments are closed to clients until the owner opens them.
		expect((await comment(guest, published, 'Can we see it warmer?')).status).toBe(403)
		const opened = await as(owner).raw('PATCH', board('/client-view'), { allowComments: true })
		expect(opened.status, JSON.stringify(opened.body)).toBe(200)

		const said = await comment(guest, published, 'Can we see it warmer?')
		expect(said.status, JSON.stringify(said.body)).toBe(201)
		expect((await setDecision(guest, published, 'approved')).status).toBe(200)
		// Not published (the grid's other candidates): refused, as is everything editors do.
		expect((await setDecision(guest, candidate(3), 'approved')).status).toBe(403)
		expect((await comment(guest, candidate(3), 'and this?')).status).toBe(403)
		expect((await resolve(guest, said.body.comment.id, true)).status).toBe(403)
		expect((await as(guest).post(board(`/images/${published}/commit`), {})).status).toBe(403)
		expect((await as(guest).get(board('/review/summary'))).status).toBe(403)
		expect((await as(guest).get(board(`/images/${published}/decisions`))).status).toBe(403)
	})

	it("keeps the team's review of a published pick's ancestors from the client", async () => {
		// The final committed from candidate 1: its ancestor is on the client's canvas once it is
		// published, but what the team decided and said about that ancestor stays internal.
		const finals = (await as(owner).get(board('/finals'))).body.finals as Array<{
			image: { id: string; parentImageId: string | null }
		}>
		const pick = finals.find((f) => f.image.parentImageId === candidate(1))!.image.id
		const ancestor = candidate(1)
		expect((await as(owner).raw('PUT', board(`/publications/${pick}`))).status).toBe(200)
		const internal = await comment(editor, ancestor, 'Team only: the sky was too flat')
		expect(internal.status, JSON.stringify(internal.body)).toBe(201)
		expect((await setDecision(owner, pick, 'approved')).status).toBe(200)
		expect((await comment(owner, pick, 'Here it is, upscaled')).status).toBe(201)

		const review = (await as(guest).get(board('/review'))).body
		expect(review.marks.decisions).toMatchObject({ [pick]: 'approved' })
		expect(review.marks.decisions).not.toHaveProperty(ancestor)
		expect(review.marks.comments).not.toHaveProperty(ancestor)
		expect(review.decisions.map((d: Decision) => d.imageId)).not.toContain(ancestor)
		expect(review.comments.map((c: Comment) => c.imageId)).not.toContain(ancestor)
		expect(JSON.stringify(review)).not.toContain('Team only')
		expect((await as(guest).get(board(`/images/${ancestor}/comments`))).status).toBe(404)
		const own = await as(guest).get(board(`/images/${pick}/comments`))
		expect(own.body.comments.map((c: Comment) => c.body)).toEqual(['Here it is, upscaled'])

		// The badges on the client's projection doc: the pick's, not the ancestor's.
		const client = connect(guest)
		const marks = await waitFor(
			'the pick’s badges on the client view',
			() => marksSeenBy(client)?.comments[pick] === 1 && marksSeenBy(client),
		)
		expect(marks.decisions[pick]).toBe('approved')
		expect(marks.decisions).not.toHaveProperty(ancestor)
		expect(marks.comments).not.toHaveProperty(ancestor)
		// Members still see the ancestor's thread and mark.
		const team = (await as(viewer).get(board('/review'))).body
		expect(team.marks.decisions[ancestor]).toBe('committed')
		expect(team.marks.comments[ancestor]).toBeGreaterThan(0)
	})
})

describe('marks after a restart', () => {
	it('reads the badges from the database when the board doc loads again', async () => {
		const expected = (await as(owner).get(board('/review'))).body.marks as ReviewMarks
		for (const c of clients.splice(0)) c.destroy()
		await server.close()
		server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
		const client = connect(viewer)
		const marks = await waitFor('the marks after restart', () => marksSeenBy(client))
		expect(marks).toEqual(expected)
		expect(marks.decisions[candidate(1)]).toBe('committed')
	})
})
