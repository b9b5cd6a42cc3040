import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { jobs } from '../db/schema'
import { newId } from '../ids'
import type { RunningServer } from '../server'
import { submitMany } from '../test/exactlyOnce'
import { buildBoard, buildServer, buildUser, tempDir, waitFor } from '../test/factories'
import { buildQueueServer, dropPrefix, uniquePrefix } from '../test/queueMode'
import { testBackend } from '../test/testBackend'
import { bullmqPriority, COMMIT_OPS, fairOrder, type PendingJob } from './fairness'

const job = (id: string, user: string, at: number, extra: Partial<PendingJob> = {}) =>
	({
		id,
		boardId: 'brd_1',
		op: 'imagine',
		status: 'queued',
		createdBy: user,
		createdAt: at,
		runAfter: 0,
		...extra,
	}) as PendingJob

const order = (pending: PendingJob[], served: Record<string, number> = {}) =>
	fairOrder(pending, { now: 1000, lastServed: (user) => served[user] }).map((j) => j.id)

interface OrderCase {
	case: string
	pending: PendingJob[]
	served: Record<string, number>
	expected: string[]
}

describe('fairOrder', () => {
	it.each<OrderCase>([
		{
			case: "everyone's first job before anyone's second",
			pending: [job('a1', 'A', 1), job('a2', 'A', 2), job('a3', 'A', 3), job('b1', 'B', 4)],
			served: {},
			expected: ['a1', 'b1', 'a2', 'a3'],
		},
		{
			case: 'a user with a job running is one rank further back',
			pending: [job('a0', 'A', 0, { status: 'running' }), job('a1', 'A', 1), job('b1', 'B', 2)],
			served: {},
			expected: ['b1', 'a1'],
		},
		{
			case: 'equal ranks go to whoever was served least recently',
			pending: [job('a2', 'A', 2), job('b1', 'B', 3)],
			served: { A: 900, B: 100 },
			expected: ['b1', 'a2'],
		},
		{
			case: 'commit jobs before any exploration, whoever asked',
			pending: [job('a1', 'A', 1), job('b1', 'B', 2), job('c1', 'A', 3, { op: COMMIT_OPS[0] })],
			served: {},
			expected: ['c1', 'a1', 'b1'],
		},
		{
			case: 'jobs waiting out a retry backoff come last',
			pending: [job('a1', 'A', 1, { runAfter: 5000 }), job('a2', 'A', 2)],
			served: {},
			expected: ['a2', 'a1'],
		},
	])('$case', ({ pending, served, expected }) => {
		expect(order(pending, served)).toEqual(expected)
	})
})

describe('bullmqPriority', () => {
	it('keeps every commit job ahead of every exploration job, and ranks within a lane', () => {
		expect(COMMIT_OPS.length).toBeGreaterThan(0)
		expect(bullmqPriority('commit', 999_999_999)).toBeLessThan(bullmqPriority('explore', 0))
		expect(bullmqPriority('explore', 0)).toBeLessThan(bullmqPriority('explore', 1))
		expect(bullmqPriority('commit', 0)).toBe(1)
		// BullMQ takes 0–2 097 151.
		expect(bullmqPriority('explore', Number.MAX_SAFE_INTEGER)).toBeLessThanOrEqual(2_097_151)
	})
})

/** Records a commit job beside the flood (the catalogue's commit op) and queues it. */
function enqueueCommitJob(server: RunningServer, likeJobId: string): string {
	const like = server.ctx.db.select().from(jobs).where(eq(jobs.id, likeJobId)).get()!
	const id = newId('job')
	server.ctx.db
		.insert(jobs)
		.values({ ...like, id, op: COMMIT_OPS[0], status: 'queued', createdAt: Date.now() })
		.run()
	server.ctx.queue.enqueue(id)
	return id
}

describe('the commit lane', () => {
	let tmp: ReturnType<typeof tempDir>
	let server: RunningServer
	let prefix: string | undefined
	afterEach(async () => {
		await server.close()
		if (prefix) await dropPrefix(prefix)
		prefix = undefined
		tmp.remove()
	})

	const limits = { ARBOR_MAX_QUEUED_PER_USER: '100', ARBOR_RATE_LIMIT_PER_MINUTE: '1000' }

	async function floodThenCommit() {
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const flood = await submitMany(server, user, board.id, 6)
		const commit = enqueueCommitJob(server, flood[0])
		const queued = await waitFor('the commit job at the head of the line', () => {
			const line = server.ctx.queue.pending().filter((j) => j.status === 'queued')
			return line[0]?.jobId === commit ? line : null
		})
		expect(queued.map((j) => j.jobId).slice(1)).toEqual(
			flood.filter((id) => queued.some((j) => j.jobId === id)),
		)
	}

	it('puts a commit job ahead of an exploration flood in BullMQ', async () => {
		tmp = tempDir()
		prefix = uniquePrefix()
		// No worker: everything stays in line, in BullMQ's order.
		server = await buildQueueServer({ dataDir: tmp.dir, prefix, env: limits })
		await floodThenCommit()
	})

	it('puts a commit job ahead of an exploration flood in the embedded queue', async () => {
		tmp = tempDir()
		server = await buildServer({
			dataDir: tmp.dir,
			backend: testBackend({ gated: true }),
			env: limits,
		})
		await floodThenCommit()
	})
})
