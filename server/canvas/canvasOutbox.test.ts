import type { TLRecord } from '@tldraw/tlschema'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { fakeRecord } from '../../engines/testing/fakeEngine'
import { jobShapeIds } from '../../shared/records'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { jobComplete, jobFail } from '../commands/jobs'
import { openDb } from '../db/client'
import { canvasOutbox, jobs } from '../db/schema'
import { newId } from '../ids'
import { getJobById } from '../queries/views'
import type { RunningServer } from '../server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'
import { testBackend } from '../test/testBackend'
import { canvasWriteOwed } from './canvasOutbox'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function world(options: { gated?: boolean; dataDir?: string } = {}) {
	const tmp = options.dataDir ? undefined : tempDir()
	const dataDir = options.dataDir ?? tmp!.dir
	const backend = testBackend({ gated: options.gated ?? true })
	const server = await buildServer({ dataDir, backend })
	cleanups.push(() => tmp?.remove())
	cleanups.push(() => server.close())
	return { server, backend, dataDir }
}

function client(server: RunningServer, boardId: string, user: TestUser) {
	const c = connectBoard(server, boardId, user)
	cleanups.push(() => c.destroy())
	/** Every job id a node was ever seen for on this client, even for an instant. */
	const seenJobs = new Set<string>()
	c.records.on('change', (changes: Map<string, { action: string; newValue?: TLRecord }>) => {
		for (const change of changes.values()) {
			const record = change.newValue
			if (record?.typeName === 'shape' && record.type === GENERATION_SHAPE)
				seenJobs.add((record as GenerationShape).props.jobId)
		}
	})
	const nodeOf = (jobId: string) => c.get(jobShapeIds(jobId).node) as GenerationShape | undefined
	return { ...c, seenJobs, nodeOf }
}

const imagine = (prompt: string) => ({ op: 'imagine', prompt, params: { aspectRatio: '1:1' } })

describe('the canvas is written after the commit', () => {
	it('leaves a client no node the database lacks when the transaction rolls back at its end', async () => {
		const { server } = await world()
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const c = client(server, board.id, user)
		await waitFor('the client to sync', () => c.provider.synced)
		const sqlite = server.ctx.db.$client
		// Any write to the board's stored doc rolls back the whole transaction it is part of.
		sqlite.exec(
			"CREATE TRIGGER forced_rollback BEFORE INSERT ON yjs_updates BEGIN SELECT RAISE(ROLLBACK, 'forced'); END",
		)
		const refused = await api(server, user.cookie).post(
			`/api/boards/${board.id}/jobs`,
			imagine('a lighthouse'),
		)
		sqlite.exec('DROP TRIGGER forced_rollback')
		// A later job's node: anything broadcast before it has reached the client by then.
		const marker = await api(server, user.cookie).post(
			`/api/boards/${board.id}/jobs`,
			imagine('a harbour'),
		)
		expect(marker.status).toBe(202)
		await waitFor('the later node', () => c.nodeOf(marker.body.job.id))
		for (const jobId of c.seenJobs) expect(getJobById(server.ctx.db, jobId), jobId).toBeDefined()
		// The job the database kept is on the canvas, and nothing is owed any more.
		if (refused.status === 202) expect(c.nodeOf(refused.body.job.id)).toBeDefined()
		expect(server.ctx.db.select().from(canvasOutbox).all()).toEqual([])
	})

	it('never shows the upscale of a commit whose transaction is refused after the job was recorded', async () => {
		const { server } = await world({ gated: false })
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const c = client(server, board.id, user)
		const grid = await api(server, user.cookie).post(
			`/api/boards/${board.id}/jobs`,
			imagine('a kite'),
		)
		const done = await waitForJob(server, user, board.id, grid.body.job.id)
		await waitFor('the grid node', () => c.nodeOf(done.id)?.props.status === 'done')
		// The audit entry is the transaction's last write: refusing it rolls back job and decision.
		server.ctx.db.$client.exec(
			"CREATE TRIGGER no_commit BEFORE INSERT ON audit_log WHEN NEW.action = 'pick.committed' BEGIN SELECT RAISE(ABORT, 'forced'); END",
		)
		const commit = await api(server, user.cookie).post(
			`/api/boards/${board.id}/images/${done.images[0].id}/commit`,
			{ params: { mode: 'subtle', factor: 2 } },
		)
		expect(commit.status).toBe(500)
		const marker = await api(server, user.cookie).post(
			`/api/boards/${board.id}/jobs`,
			imagine('a second kite'),
		)
		await waitFor('the later node', () => c.nodeOf(marker.body.job.id))
		expect([...c.seenJobs].sort()).toEqual([done.id, marker.body.job.id].sort())
		expect(server.ctx.db.select().from(jobs).where(eq(jobs.op, 'upscale')).all()).toEqual([])
	})
})

describe('jobComplete and jobFail', () => {
	it('write the finished node themselves, whichever transport called them', async () => {
		const { server, backend } = await world()
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const post = (prompt: string) =>
			api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, imagine(prompt))
		const first = (await post('one')).body.job
		await waitFor('the job to run', () => backend.waiting() === 1)
		const png = new Uint8Array(
			await sharp({
				create: { width: first.width, height: first.height, channels: 3, background: '#345' },
			})
				.png()
				.toBuffer(),
		)
		const info = { backend: 'test', model: 'solid', version: '1' }
		const outputs = [0, 1, 2, 3].map((index) => ({
			index,
			seed: index,
			width: first.width,
			height: first.height,
			png,
			record: fakeRecord(info, index),
		}))
		expect(await jobComplete(server.ctx, first.id, outputs, info)).toBe(true)
		// No transport hook ran in between: the command itself put the result on the canvas.
		const node = () => server.ctx.boards.getRecord(board.id, jobShapeIds(first.id).node)
		expect((node() as GenerationShape).props).toMatchObject({ status: 'done' })
		expect((node() as GenerationShape).props.candidates).toHaveLength(4)

		const second = (await post('two')).body.job
		jobFail(server.ctx, second.id, 'the engine is gone')
		const failed = server.ctx.boards.getRecord(board.id, jobShapeIds(second.id).node)
		expect((failed as GenerationShape).props).toMatchObject({
			status: 'failed',
			error: 'the engine is gone',
		})
	})
})

describe('start-up reconcile', () => {
	it('places a node whose write was owed at a crash and repairs a node that fell behind', async () => {
		const tmp = tempDir()
		cleanups.push(() => tmp.remove())
		const first = await world({ dataDir: tmp.dir })
		const user = await buildUser(first.server)
		const board = await buildBoard(first.server, user)
		const res = await api(first.server, user.cookie).post(
			`/api/boards/${board.id}/jobs`,
			imagine('a lighthouse'),
		)
		const stale = res.body.job.id as string
		await first.server.close()

		// What a crash between a commit and its canvas write leaves: the record changed, the doc
		// did not. One job failed; another was recorded and owes its placeholder.
		const db = openDb(`${tmp.dir}/arbor.db`)
		db.update(jobs)
			.set({ status: 'failed', error: 'out of memory', finishedAt: Date.now() })
			.where(eq(jobs.id, stale))
			.run()
		const row = db.select().from(jobs).where(eq(jobs.id, stale)).get()!
		const owed = db
			.insert(jobs)
			.values({ ...row, id: newId('job'), status: 'queued', error: null, finishedAt: null })
			.returning()
			.get()
		canvasWriteOwed(db, owed, { kind: 'place', author: user.name, at: { x: 4000, y: 0 } })
		db.$client.close()

		const second = await world({ dataDir: tmp.dir })
		const c = client(second.server, board.id, user)
		await waitFor('the client to sync', () => c.provider.synced)
		expect(c.nodeOf(stale)?.props).toMatchObject({ status: 'failed', error: 'out of memory' })
		expect(c.nodeOf(owed.id)?.props.status).toBeDefined()
		expect(second.server.ctx.db.select().from(canvasOutbox).all()).toEqual([])
	})
})
