import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import type { Engine } from '../engines/types'
import { creditLedger, jobs } from './db/schema'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

const builtin = createBuiltinBackend()
const IMAGINE = { op: 'imagine', prompt: 'copper kettles on a shelf' }
const PRICE = 4

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

async function setup(env: Record<string, string>, backend?: Engine) {
	tmp = tempDir()
	server = await buildServer({
		dataDir: tmp.dir,
		backend,
		env: {
			ARBOR_MAX_QUEUED_PER_USER: '1000',
			ARBOR_RATE_LIMIT_PER_MINUTE: '1000',
			...env,
		},
	})
}

afterEach(async () => {
	await server?.close()
	tmp?.remove()
})

const balance = async (user: TestUser) =>
	(await api(server, user.cookie).get('/api/me')).body.credits.balance

function ledgerOf(userId: string) {
	return server.ctx.db
		.select()
		.from(creditLedger)
		.where(eq(creditLedger.userId, userId))
		.orderBy(creditLedger.id)
		.all()
}

/** The ledger's invariants: each balanceAfter is the running sum, and never below zero. */
function expectConsistentLedger(userId: string) {
	let sum = 0
	for (const entry of ledgerOf(userId)) {
		sum = Math.round((sum + entry.amount) * 100) / 100
		expect(entry.balanceAfter).toBe(sum)
		expect(entry.balanceAfter).toBeGreaterThanOrEqual(0)
	}
	return sum
}

/** The real generator, held until released: jobs we can cancel or count while they wait. */
function held() {
	let release!: () => void
	const gate = new Promise<void>((r) => {
		release = r
	})
	const backend: Engine & { release(): void } = {
		info: builtin.info,
		capabilities: builtin.capabilities,
		models: builtin.models,
		async generate(request, options) {
			options.onProgress(0.5)
			await new Promise<void>((resolve, reject) => {
				gate.then(resolve)
				options.signal.addEventListener('abort', () => reject(options.signal.reason), {
					once: true,
				})
			})
			return builtin.generate(request, options)
		},
		release: () => release(),
	}
	return backend
}

describe('budgets under concurrency', () => {
	it('accepts exactly as many of 100 concurrent jobs as the credits pay for', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: String(PRICE * 10) }, held())
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const results = await Promise.all(
			Array.from({ length: 100 }, () =>
				api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE),
			),
		)
		const statuses = results.map((r) => r.status)
		expect(statuses.filter((s) => s === 202)).toHaveLength(10)
		expect(statuses.filter((s) => s === 402)).toHaveLength(90)
		expect(results.find((r) => r.status === 402)!.body.error.code).toBe('insufficient_credits')
		expect(server.ctx.db.select().from(jobs).all()).toHaveLength(10)
		expect(expectConsistentLedger(user.id)).toBe(0)
		expect(await balance(user)).toBe(0)
	})

	it('shares a board cap between two users racing for it', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: '1000' }, held())
		const owner = await buildUser(server, 'Owner')
		const editor = await buildUser(server, 'Editor')
		const board = await buildBoard(server, owner)
		await addMember(server, owner, board.id, editor, 'editor')
		expect(
			(
				await api(server, owner.cookie).raw('PATCH', `/api/boards/${board.id}`, {
					budgetCap: PRICE * 10,
				})
			).status,
		).toBe(200)
		const results = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				api(server, (i % 2 ? owner : editor).cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE),
			),
		)
		expect(results.filter((r) => r.status === 202)).toHaveLength(10)
		const refused = results.filter((r) => r.status === 402)
		expect(refused).toHaveLength(90)
		expect(refused.every((r) => r.body.error.code === 'board_budget_exceeded')).toBe(true)
		const usage = await api(server, owner.cookie).get(`/api/boards/${board.id}/usage`)
		expect(usage.body.spent).toBe(PRICE * 10)
		expect(
			usage.body.byMember.reduce((s: number, m: { credits: number }) => s + m.credits, 0),
		).toBe(PRICE * 10)
		expectConsistentLedger(owner.id)
		expectConsistentLedger(editor.id)
	})
})

describe('refunds', () => {
	it('refunds a failed job exactly once', async () => {
		const failing: Engine = {
			info: builtin.info,
			capabilities: builtin.capabilities,
			models: builtin.models,
			generate: async () => {
				throw new Error('GPU fell off the bus')
			},
		}
		await setup({ ARBOR_MONTHLY_CREDITS: '100' }, failing)
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE)
		expect(await balance(user)).toBe(100 - PRICE)
		await waitForJob(server, user, board.id, res.body.job.id, 'failed')
		expect(await balance(user)).toBe(100)
		const kinds = ledgerOf(user.id).map((e) => e.kind)
		expect(kinds.filter((k) => k === 'refund')).toHaveLength(1)
		// Retrying charges again; failing again refunds again, once.
		await api(server, user.cookie).post(`/api/boards/${board.id}/jobs/${res.body.job.id}/retry`)
		await waitForJob(server, user, board.id, res.body.job.id, 'failed')
		expect(await balance(user)).toBe(100)
		expect(ledgerOf(user.id).filter((e) => e.kind === 'refund')).toHaveLength(2)
		expectConsistentLedger(user.id)
	})

	it('refunds a cancelled queued job in full and a cancelled running one for the unfinished part', async () => {
		const backend = held()
		await setup({ ARBOR_MONTHLY_CREDITS: '100' }, backend)
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const c = api(server, user.cookie)
		const running = (await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).body.job.id
		const queued = (await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).body.job.id
		await waitForJob(server, user, board.id, running, 'running')
		await waitFor('progress known', () => server.ctx.progress.fractionOf(running) === 0.5)
		expect(await balance(user)).toBe(100 - 2 * PRICE)
		await c.post(`/api/boards/${board.id}/jobs/${queued}/cancel`)
		expect(await balance(user)).toBe(100 - PRICE)
		await c.post(`/api/boards/${board.id}/jobs/${running}/cancel`)
		// Half the work was done: half the price comes back.
		expect(await balance(user)).toBe(100 - PRICE / 2)
		await c.post(`/api/boards/${board.id}/jobs/${running}/cancel`)
		expect(await balance(user)).toBe(100 - PRICE / 2)
		expect(ledgerOf(user.id).filter((e) => e.kind === 'refund')).toHaveLength(2)
		backend.release()
		expectConsistentLedger(user.id)
	})

	it('settles a finished job without refunding it', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: '100' })
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE)
		await waitForJob(server, user, board.id, res.body.job.id)
		const kinds = ledgerOf(user.id).map((e) => e.kind)
		expect(kinds).toEqual(['grant', 'reservation', 'settlement'])
		expect(await balance(user)).toBe(100 - PRICE)
		const me = await api(server, user.cookie).get('/api/me')
		expect(me.body.credits).toMatchObject({ allowance: 100, spent: PRICE, reserved: 0 })
	})

	it('names each ledger entry’s op and prompt, so the usage page can show one row per job', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: '100' })
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE)
		await waitForJob(server, user, board.id, res.body.job.id)
		const usage = await api(server, user.cookie).get('/api/me/usage')
		const ofJob = usage.body.usage.entries.filter(
			(e: { jobId: string | null }) => e.jobId === res.body.job.id,
		)
		expect(ofJob).toHaveLength(2)
		for (const entry of ofJob)
			expect(entry).toMatchObject({ op: 'imagine', prompt: IMAGINE.prompt })
		const grant = usage.body.usage.entries.find((e: { kind: string }) => e.kind === 'grant')
		expect(grant).toMatchObject({ op: null, prompt: null })
	})

	it('fails and refunds, once, a job lost to crashes on its last attempt', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: '100' }, held())
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE)
		const jobId = res.body.job.id
		await waitForJob(server, user, board.id, jobId, 'running')
		await server.close()
		// As if the process had died during the job's third and last attempt.
		const { openDb } = await import('./db/client')
		const db = openDb(server.ctx.config.dbFile)
		db.update(jobs).set({ status: 'running', attempts: 3 }).where(eq(jobs.id, jobId)).run()
		db.$client.close()

		server = await buildServer({ dataDir: tmp.dir, env: { ARBOR_MONTHLY_CREDITS: '100' } })
		const job = await waitForJob(server, user, board.id, jobId, 'failed')
		expect(job.error).toMatch(/stopped during this job 3 times/)
		expect(await balance(user)).toBe(100)
		expect(ledgerOf(user.id).filter((e) => e.kind === 'refund')).toHaveLength(1)
	})
})

describe('limits at their boundaries', () => {
	it('allows N waiting jobs, refuses N+1 with 429, and allows again once one finishes', async () => {
		const backend = held()
		await setup({ ARBOR_MAX_RUNNING_PER_USER: '1', ARBOR_MAX_QUEUED_PER_USER: '2' }, backend)
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const c = api(server, user.cookie)
		const accepted = []
		for (let i = 0; i < 3; i++)
			accepted.push((await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).status)
		expect(accepted).toEqual([202, 202, 202])
		const over = await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)
		expect(over.status).toBe(429)
		expect(over.body.error.code).toBe('too_many_jobs')
		const first = server.ctx.db.select().from(jobs).all()[0]
		await c.post(`/api/boards/${board.id}/jobs/${first.id}/cancel`)
		expect((await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).status).toBe(202)
		backend.release()
	})

	it('allows N jobs a window, refuses N+1 with 429, and allows again after the window', async () => {
		await setup({ ARBOR_RATE_LIMIT_PER_MINUTE: '3', ARBOR_RATE_LIMIT_WINDOW_MS: '1500' }, held())
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const c = api(server, user.cookie)
		for (let i = 0; i < 3; i++)
			expect((await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).status).toBe(202)
		const limited = await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)
		expect(limited.status).toBe(429)
		expect(limited.body.error.code).toBe('rate_limited')
		await waitFor(
			'the window to pass',
			async () => (await c.post(`/api/boards/${board.id}/jobs`, IMAGINE)).status === 202,
			5000,
		)
	})
})

describe('running cap', () => {
	it("runs at most N of one user's jobs at once, letting others' jobs use the free slots", async () => {
		const backend = held()
		await setup({ ARBOR_CONCURRENCY: '3', ARBOR_MAX_RUNNING_PER_USER: '1' }, backend)
		const ann = await buildUser(server, 'Ann')
		const bo = await buildUser(server, 'Bo')
		const board = await buildBoard(server, ann)
		await addMember(server, ann, board.id, bo, 'editor')
		const submit = async (u: TestUser) =>
			(await api(server, u.cookie).post(`/api/boards/${board.id}/jobs`, IMAGINE)).body.job
				.id as string
		const [a1, a2] = [await submit(ann), await submit(ann)]
		const b1 = await submit(bo)
		await waitForJob(server, bo, board.id, b1, 'running')
		await waitForJob(server, ann, board.id, a1, 'running')
		// A slot is free, but Ann is at her cap: her second job waits.
		expect(
			(await api(server, ann.cookie).get(`/api/boards/${board.id}/jobs/${a2}`)).body.job.status,
		).toBe('queued')
		backend.release()
		await waitForJob(server, ann, board.id, a2, 'done')
	})
})

describe('admin', () => {
	it('makes the first account admin, who can grant credits and set allowances', async () => {
		await setup({ ARBOR_MONTHLY_CREDITS: '10' })
		const adminUser = await buildUser(server, 'Admin')
		const member = await buildUser(server, 'Member')
		expect((await api(server, adminUser.cookie).get('/api/me')).body.user.isAdmin).toBe(true)
		expect((await api(server, member.cookie).get('/api/me')).body.user.isAdmin).toBe(false)
		expect((await api(server, member.cookie).get('/api/admin/users')).status).toBe(403)

		const grant = await api(server, adminUser.cookie).post(
			`/api/admin/users/${member.id}/credits`,
			{
				amount: 25,
				note: 'Client project',
			},
		)
		expect(grant.status).toBe(201)
		expect(await balance(member)).toBe(35)
		const list = await api(server, adminUser.cookie).get('/api/admin/users')
		expect(list.body.users.find((u: { id: string }) => u.id === member.id).credits.balance).toBe(35)
		const bad = await api(server, adminUser.cookie).post(`/api/admin/users/${member.id}/credits`, {
			amount: 0,
		})
		expect(bad.status).toBe(400)
		const limits = await api(server, adminUser.cookie).raw(
			'PATCH',
			`/api/admin/users/${member.id}`,
			{
				monthlyAllowance: 500,
			},
		)
		expect(limits.status).toBe(200)
		expectConsistentLedger(member.id)
	})
})
