import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Comment, Decision } from '../shared/review'
import { waitFor, waitForJob } from './test/factories'
import {
	as,
	board,
	boardId,
	candidate,
	comment,
	connect,
	editor,
	guest,
	marksSeenBy,
	owner,
	resolve,
	server,
	setDecision,
	setUpReviewWorld,
	tearDownReviewWorld,
	viewer,
} from './test/reviewWorld'

// Who may review: viewers read; clients see and write review only on published picks.

beforeAll(setUpReviewWorld)
afterAll(tearDownReviewWorld)

describe('who may review', () => {
	it('lets a viewer read but not mark, comment, resolve or commit', async () => {
		expect((await comment(owner, candidate(0), 'Too dark?')).status).toBe(201)
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

		expect((await comment(owner, published, 'Warmer light?')).status).toBe(201)
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
		const commit = await as(owner).post(board(`/images/${candidate(1)}/commit`), {})
		expect(commit.status, JSON.stringify(commit.body)).toBe(202)
		await waitForJob(server, owner, boardId, commit.body.job.id)
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
