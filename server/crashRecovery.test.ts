import { type ChildProcess, spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { GENERATION_SHAPE, type GenerationShape } from '../shared/shapes/generationShape'
import {
	api,
	buildBoard,
	buildUser,
	connectBoard,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

const children: ChildProcess[] = []

/** `npm start`'s server as a real process (without the client build), on a free port. */
async function spawnServer(dataDir: string, env: Record<string, string> = {}) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			ARBOR_DATA_DIR: dataDir,
			ARBOR_CLIENT_DIR: `${dataDir}/no-client`,
			LOG_LEVEL: 'warn',
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	children.push(child)
	let output = ''
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += chunk
			const match = /running at (http:\/\/\S+)/.exec(output)
			if (match) resolve(match[1])
		})
		child.stderr!.on('data', (chunk) => {
			output += chunk
		})
		child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)))
	})
	return { child, url }
}

afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL')
})

describe('crash recovery', () => {
	it('re-runs a job interrupted by a crash at the next start, and shows it once', async () => {
		const tmp = tempDir()
		try {
			// A slow generator, so the kill lands mid-job.
			const first = await spawnServer(tmp.dir, { ARBOR_BUILTIN_DELAY_MS: '60000' })
			const user = await buildUser(first)
			const board = await buildBoard(first, user)
			const res = await api(first, user.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt: 'a lighthouse in fog',
			})
			const jobId = res.body.job.id
			await waitForJob(first, user, board.id, jobId, 'running')
			first.child.kill('SIGKILL')
			await new Promise((r) => first.child.once('exit', r))

			const second = await spawnServer(tmp.dir)
			const job = await waitForJob(second, user, board.id, jobId, 'done', 30_000)
			expect(job.attempts).toBe(2)
			expect(job.images).toHaveLength(4)

			const viewer = connectBoard(second, board.id, user)
			try {
				await waitFor('synced', () => viewer.provider.synced)
				const nodes = viewer
					.all()
					.filter((r) => r.typeName === 'shape' && r.type === GENERATION_SHAPE) as GenerationShape[]
				expect(nodes).toHaveLength(1)
				expect(nodes[0].props.status).toBe('done')
				expect(nodes[0].props.candidates.map((c) => c.imageId)).toEqual(job.images.map((i) => i.id))
			} finally {
				viewer.destroy()
			}
		} finally {
			tmp.remove()
		}
	}, 60_000)
})
