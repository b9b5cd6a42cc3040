import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type FakeOpenAI, startFakeOpenAI } from '../engines/openai/testing/fakeOpenAI'
import { loadConfig } from './config'
import { type RunningServer, startServer } from './server'
import {
	api,
	buildBoard,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

// ARBOR_OPENAI_API_KEY is read from the environment and goes to the OpenAI-style API only: a
// whole run in embedded mode (the server holds the key) — imagine, vary, zoom out, an upscale it
// refuses, a 401 that echoes the key, 429s until the job gives up — and the key is in no API
// answer a browser gets, no board doc or awareness state, no log line at trace level, and no
// byte of the data directory (SQLite file, its WAL, assets).

const KEY = 'sk-proj-Arbor0key0never0leaves0Q7xZ'
const MONITOR = 'monitor-token-0123456789abcdef'
/** Parts an echo might keep (OpenAI masks the middle of a key it quotes). */
const FRAGMENTS = [KEY, KEY.slice(-12), KEY.slice(8, 24)]

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name)
		return statSync(path).isDirectory() ? filesUnder(path) : [path]
	})
}

describe('the OpenAI key', () => {
	const tmp = tempDir()
	let fake: FakeOpenAI
	let server: RunningServer
	let owner: TestUser
	let boardId: string
	const logs: string[] = []
	/** Every body a browser (or a monitor) received in the run, as text. */
	const answers: { what: string; text: string }[] = []

	beforeAll(async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const config = loadConfig({
			PORT: '0',
			HOST: '127.0.0.1',
			ARBOR_DATA_DIR: tmp.dir,
			ARBOR_CLIENT_DIR: join(tmp.dir, 'no-client'),
			ARBOR_RETRY_BACKOFF_MS: '50',
			ARBOR_METRICS_TOKEN: MONITOR,
			ARBOR_BACKEND: 'openai',
			ARBOR_OPENAI_BASE_URL: `${fake.url}/v1`,
			ARBOR_OPENAI_API_KEY: KEY,
			ARBOR_OPENAI_MODEL: 'gpt-image-1',
			LOG_LEVEL: 'trace',
		})
		const logger = pino(
			{ level: 'trace', base: { app: 'arbor' } },
			{ write: (line: string) => logs.push(line) },
		)
		server = await startServer({ config, logger })
		owner = await buildUser(server, 'Noor')
		boardId = (await buildBoard(server, owner)).id
	})
	afterAll(async () => {
		await server?.close()
		await fake?.close()
		tmp.remove()
	})

	const call = async (method: 'get' | 'post', path: string, body?: unknown) => {
		const res = await api(server, owner.cookie)[method](path, body)
		answers.push({ what: `${method} ${path} → ${res.status}`, text: JSON.stringify(res.body) })
		return res
	}
	const raw = async (path: string, headers: Record<string, string> = { cookie: owner.cookie }) => {
		const res = await fetch(`${server.url}${path}`, { headers })
		const bytes = Buffer.from(await res.arrayBuffer())
		answers.push({ what: `get ${path} → ${res.status}`, text: bytes.toString('latin1') })
		return bytes
	}
	const jobs = () => `/api/boards/${boardId}/jobs`
	const finished = async (jobId: string, status: 'done' | 'failed' = 'done') => {
		const job = await waitForJob(server, owner, boardId, jobId, status, 30_000)
		await call('get', `${jobs()}/${jobId}`)
		return job
	}

	it('goes to the API and nowhere else', async () => {
		const client = connectBoard(server, boardId, owner)
		try {
			const imagine = await call('post', jobs(), { op: 'imagine', prompt: 'a paper boat' })
			const root = await finished(imagine.body.job.id)
			const imageId = root.images[0].id
			const vary = await call('post', jobs(), {
				op: 'vary',
				parentImageId: imageId,
				params: { strength: 'strong' },
			})
			await finished(vary.body.job.id)
			const zoom = await call('post', jobs(), {
				op: 'zoom_out',
				parentImageId: imageId,
				params: { factor: 2 },
			})
			await finished(zoom.body.job.id)
			const upscale = await call('post', jobs(), {
				op: 'upscale',
				parentImageId: imageId,
				params: { mode: 'subtle', factor: 2 },
			})
			expect(upscale.status).toBe(422)

			// A 401 quoting the key: refused at once, its message on the job with the key blacked out.
			fake.failNext(401)
			const denied = await call('post', jobs(), { op: 'imagine', prompt: 'a paper plane' })
			const deniedJob = await finished(denied.body.job.id, 'failed')
			expect(deniedJob.error).toMatch(/Incorrect API key provided: \[key\]/)
			// 429 on every try: retried, then failed with the rate limit's message.
			for (let i = 0; i < 5; i++) fake.failNext(429)
			const limited = await call('post', jobs(), { op: 'imagine', prompt: 'a paper crane' })
			const limitedJob = await finished(limited.body.job.id, 'failed')
			expect(limitedJob.error).toMatch(/Rate limit/)
			expect(limitedJob.attempts).toBeGreaterThan(1)

			for (const path of [
				'/api/engines',
				'/api/models',
				'/api/ops',
				'/api/me',
				`/api/boards/${boardId}`,
				`/api/boards/${boardId}/lineage.json`,
				`/api/boards/${boardId}/images/${imageId}`,
				`/api/boards/${boardId}/images/${imageId}/lineage`,
			])
				expect((await call('get', path)).status).toBe(200)
			await raw(`/api/boards/${boardId}/images/${imageId}/file?size=full`)
			await raw(`/api/boards/${boardId}/images/${imageId}/file?size=thumb`)
			const health = await raw('/api/health', { authorization: `Bearer ${MONITOR}` })
			expect(JSON.parse(health.toString()).engines[0]).toMatchObject({ engine: 'openai' })
			await raw('/metrics', { authorization: `Bearer ${MONITOR}` })

			// The board as every collaborator's browser holds it: the doc and the awareness states.
			await waitFor('the doc synced', () => client.provider.synced)
			answers.push({
				what: 'the board doc',
				text: Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('latin1'),
			})
			answers.push({
				what: 'awareness',
				text: JSON.stringify([...client.provider.awareness.getStates().values()]),
			})
		} finally {
			client.destroy()
		}

		// The key did reach the API, on every call.
		const imageCalls = fake.requests.filter((r) => r.path.startsWith('/v1/images'))
		expect(imageCalls.length).toBeGreaterThanOrEqual(6)
		for (const r of imageCalls) expect(r.authorization).toBe(`Bearer ${KEY}`)

		for (const { what, text } of answers)
			for (const fragment of FRAGMENTS) expect(text.includes(fragment), what).toBe(false)
		// The failures were logged (trace level: everything the server says), the key blacked out.
		expect(logs.some((l) => l.includes('Incorrect API key provided: [key]'))).toBe(true)
		for (const line of logs)
			for (const fragment of FRAGMENTS) expect(line.includes(fragment), line).toBe(false)

		// Nothing stored: every byte under the data directory, the SQLite file and its WAL included.
		await server.close()
		const files = filesUnder(tmp.dir)
		expect(files.some((f) => f.endsWith('.db') || f.endsWith('.sqlite'))).toBe(true)
		for (const file of files) {
			const bytes = readFileSync(file)
			for (const fragment of FRAGMENTS) expect(bytes.includes(fragment), file).toBe(false)
		}
	}, 120_000)
})
