import { Queue } from 'bullmq'
import { eq } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { images, jobs } from '../server/db/schema'
import type { RunningServer } from '../server/server'
import {
	addMember,
	api,
	buildBoard,
	buildUser,
	connectBoard,
	tempDir,
	waitFor,
} from '../server/test/factories'
import {
	buildQueueServer,
	dropPrefix,
	REDIS_URL,
	spawnWorker,
	uniquePrefix,
	type WorkerProcess,
} from '../server/test/queueMode'
import { QUEUE_NAME } from '../shared/queue'
import { jobShapeIds } from '../shared/records'
import { GENERATION_SHAPE, type GenerationShape } from '../shared/shapes/generationShape'
import { BENCH_LIMITS, whenNodeDone } from './benchKit'

// The rig of bench/faults.ts: a queue-mode server, real worker processes to kill, and the
// never-lost / never-shown-twice check.

/** The builtin generator's extra sleep per job: long enough that every kill lands mid-job. */
export const JOB_DELAY_MS = 6000
/** Liveness: a job not re-run by then counts as lost, and the benchmark stops. */
export const LOST_AFTER_MS = 60_000

/**
 * A queue-mode server in this process (temp data dir, unique queue prefix, both removed by
 * `close`), two `npm run worker` processes on the builtin generator slowed by `JOB_DELAY_MS`, a
 * collaborator watching the board, and a BullMQ handle to see which worker holds a job (each
 * worker names itself, by `ARBOR_WORKER_ID`, in BullMQ's `processedBy`).
 */
export async function startFleet() {
	const tmp = tempDir('arbor-bench-')
	const prefix = uniquePrefix()
	const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
	const queue = new Queue(QUEUE_NAME, { connection, prefix })
	const workers = new Map<string, WorkerProcess>()
	let server: RunningServer | undefined
	const close = async () => {
		for (const worker of workers.values()) await worker.stop('SIGKILL')
		await queue.close()
		connection.disconnect()
		await server?.close()
		await dropPrefix(prefix)
		tmp.remove()
	}
	try {
		const s = await buildQueueServer({ dataDir: tmp.dir, prefix, env: BENCH_LIMITS })
		server = s
		let spawned = 0
		const spawn = async () => {
			const id = `bench-worker-${++spawned}`
			const env = { ARBOR_BUILTIN_DELAY_MS: String(JOB_DELAY_MS), ARBOR_WORKER_ID: id }
			workers.set(id, await spawnWorker({ serverUrl: s.url, prefix, env }))
		}
		await Promise.all([spawn(), spawn()])
		const alice = await buildUser(s, 'Alice')
		const bob = await buildUser(s, 'Bob')
		const board = await buildBoard(s, alice)
		await addMember(s, alice, board.id, bob, 'editor')
		const watcher = connectBoard(s, board.id, bob)
		await waitFor('synced', () => watcher.provider.synced)
		const submit = async (prompt: string): Promise<string> => {
			const res = await api(s, alice.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt,
			})
			if (res.status !== 202) throw new Error(`submit failed: ${JSON.stringify(res.body)}`)
			return res.body.job.id
		}
		return {
			server: s,
			alice,
			board,
			workers,
			spawn,
			submit,
			/** Resolves with the wall-clock time (ms) the job's node shows done on Bob's doc. */
			done: async (jobId: string) =>
				performance.timeOrigin + (await whenNodeDone(watcher, jobShapeIds(jobId).node)),
			/** When the server recorded the job's `attempt`-th start (`workerJobStart`'s stamp). */
			leased: (jobId: string, attempt: number) =>
				waitFor(
					`job ${jobId} started for attempt ${attempt}`,
					() => {
						const row = s.ctx.db.select().from(jobs).where(eq(jobs.id, jobId)).get()
						return row?.status === 'running' && row.attempts === attempt ? row.startedAt : null
					},
					LOST_AFTER_MS,
				),
			/** The `ARBOR_WORKER_ID` of the worker that took the job last. */
			holder: async (jobId: string) => (await queue.getJob(jobId))?.processedBy ?? '?',
			async close() {
				watcher.destroy()
				await close()
			},
		}
	} catch (err) {
		await close()
		throw err
	}
}
export type Fleet = Awaited<ReturnType<typeof startFleet>>

/**
 * Untimed: one job on each of the two idle workers at once, so neither worker is on its first
 * job (module loading, JIT) when timed. Run at the start and after each replacement worker.
 */
export async function warmUp(fleet: Fleet): Promise<string[]> {
	const ids = await Promise.all([0, 1].map((i) => fleet.submit(`warm-up ${i}`)))
	await Promise.all(ids.map((id) => fleet.done(id)))
	return ids
}

export interface CheckedJob {
	jobId: string
	/** Killed jobs: the worker killed, and the one that should have re-run it. */
	kill?: { victim: string; rerunBy: string }
}

/**
 * Never lost, never shown twice: every job is done with one set of four images in the record;
 * a killed job took exactly two attempts, its images made by the surviving worker; and a freshly
 * connected client shows exactly one finished node per job, holding exactly those images.
 * Returns what is wrong, if anything.
 */
export async function exactlyOnceProblems(fleet: Fleet, checked: CheckedJob[]): Promise<string[]> {
	const problems: string[] = []
	const { db } = fleet.server.ctx
	const viewer = connectBoard(fleet.server, fleet.board.id, fleet.alice)
	try {
		await waitFor('synced', () => viewer.provider.synced)
		const nodes = viewer
			.all()
			.filter((r) => r.typeName === 'shape' && r.type === GENERATION_SHAPE) as GenerationShape[]
		for (const { jobId, kill } of checked) {
			const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get()
			const made = db.select().from(images).where(eq(images.jobId, jobId)).all()
			made.sort((a, b) => a.index - b.index)
			const shown = nodes.filter((node) => node.props.jobId === jobId)
			const attempts = kill ? 2 : 1
			if (row?.status !== 'done') problems.push(`${jobId} is ${row?.status}`)
			if (row?.attempts !== attempts)
				problems.push(`${jobId} took ${row?.attempts} attempts, not ${attempts}`)
			if (made.map((i) => i.index).join() !== '0,1,2,3')
				problems.push(`${jobId} has images ${made.map((i) => i.index).join() || 'none'}`)
			if (shown.length !== 1) problems.push(`${jobId} is shown ${shown.length} times`)
			else if (
				shown[0].props.candidates.map((c) => c.imageId).join() !== made.map((i) => i.id).join()
			)
				problems.push(`${jobId}'s node does not show its images`)
			if (kill && (kill.rerunBy === kill.victim || made.some((i) => i.worker?.id !== kill.rerunBy)))
				problems.push(`${jobId} was not re-run by the surviving worker`)
		}
		if (nodes.length !== checked.length)
			problems.push(`${nodes.length} nodes on the board for ${checked.length} jobs`)
	} finally {
		viewer.destroy()
	}
	return problems
}
