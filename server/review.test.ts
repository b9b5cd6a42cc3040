import { eq } from 'drizzle-orm'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../shared/api'
import { readPngTextChunks } from '../shared/provenance/pngText'
import type { Comment, Decision, ReviewMarks } from '../shared/review'
import { decisions } from './db/schema'
import { auditOf } from './queries/audit'
import { buildBoard, waitFor, waitForJob } from './test/factories'
import {
	as,
	balanceOf,
	board,
	boardId,
	candidate,
	comment,
	connect,
	editor,
	grid,
	marksSeenBy,
	node,
	owner,
	resolve,
	restartServer,
	server,
	setDecision,
	setUpReviewWorld,
	tearDownReviewWorld,
	viewer,
} from './test/reviewWorld'

// Review end to end: a real server and SQLite file, real jobs (a fast test backend), real
// y-websocket clients for the live badges, and a guest on a client link for the client rules.

beforeAll(setUpReviewWorld)
afterAll(tearDownReviewWorld)

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

describe('marks after a restart', () => {
	it('reads the badges from the database when the board doc loads again', async () => {
		const expected = (await as(owner).get(board('/review'))).body.marks as ReviewMarks
		await restartServer()
		const client = connect(viewer)
		const marks = await waitFor('the marks after restart', () => marksSeenBy(client))
		expect(marks).toEqual(expected)
		expect(marks.decisions[candidate(1)]).toBe('committed')
	})
})
