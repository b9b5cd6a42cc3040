import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import pino from 'pino'
import type { Engine } from '../../engines/types'
import { type RunningWorker, type StartWorkerOptions, startWorker } from '../../worker/queueWorker'
import type { RunningServer } from '../server'
import { buildServer, waitFor } from './factories'

// Queue-mode fixtures: real Redis (REDIS_URL or 127.0.0.1:6379, or a private redis-server this
// file starts), a unique key prefix per test, real workers in-process or as child processes.

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const TEST_WORKER_TOKEN = 'test-worker-token-0123456789abcdef'

export function uniquePrefix(): string {
	return `arbor-test-${randomBytes(6).toString('hex')}`
}

/** Deletes every key under the prefix, so tests leave the shared Redis as they found it. */
export async function dropPrefix(prefix: string, redisUrl = REDIS_URL): Promise<void> {
	const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
	try {
		let cursor = '0'
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
			if (keys.length) await redis.unlink(...keys)
			cursor = next
		} while (cursor !== '0')
	} finally {
		redis.disconnect()
	}
}

/** A server in queue mode (the server runs no jobs). */
export function buildQueueServer(options: {
	dataDir: string
	prefix: string
	redisUrl?: string
	env?: Record<string, string>
}): Promise<RunningServer> {
	return buildServer({
		dataDir: options.dataDir,
		env: {
			REDIS_URL: options.redisUrl ?? REDIS_URL,
			ARBOR_WORKER_TOKEN: TEST_WORKER_TOKEN,
			ARBOR_QUEUE_PREFIX: options.prefix,
			...options.env,
		},
	})
}

/** An in-process worker against a test server, with its own generator backend. */
export function startTestWorker(
	server: { url: string },
	options: { prefix: string; backend: Engine; redisUrl?: string } & Partial<
		Omit<StartWorkerOptions, 'serverUrl' | 'token' | 'logger' | 'engine'>
	>,
): Promise<RunningWorker> {
	const { backend, ...rest } = options
	return startWorker({
		redisUrl: REDIS_URL,
		serverUrl: server.url,
		token: TEST_WORKER_TOKEN,
		logger: pino({ level: process.env.ARBOR_TEST_LOG ?? 'silent' }),
		heartbeatMs: 500,
		engine: backend,
		...rest,
	})
}

export interface WorkerProcess {
	child: ChildProcess
	output(): string
	/** Sends the signal and waits for the process to exit. */
	stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** `npm run worker` as a real process; resolves once it takes jobs. */
export async function spawnWorker(options: {
	serverUrl: string
	prefix: string
	redisUrl?: string
	env?: Record<string, string>
}): Promise<WorkerProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
		env: {
			...process.env,
			REDIS_URL: options.redisUrl ?? REDIS_URL,
			ARBOR_SERVER_URL: options.serverUrl,
			ARBOR_WORKER_TOKEN: TEST_WORKER_TOKEN,
			ARBOR_QUEUE_PREFIX: options.prefix,
			LOG_LEVEL: 'warn',
			...options.env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	)
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += chunk
			if (output.includes('is taking jobs')) resolve()
		})
		child.stderr!.on('data', (chunk) => {
			output += chunk
		})
		exited.then((code) => reject(new Error(`worker exited (${code}):\n${output}`)))
	})
	return {
		child,
		output: () => output,
		async stop(signal = 'SIGKILL') {
			if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
			child.kill(signal)
			return exited
		},
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number }
			probe.close(() => resolve(port))
		})
	})
}

/**
 * A private `redis-server` on a free port, without persistence, so a test can stop and restart
 * it without disturbing anyone else's Redis.
 */
export async function startPrivateRedis() {
	const port = await freePort()
	const url = `redis://127.0.0.1:${port}`
	let child: ChildProcess | null = null
	const up = async () => {
		child = spawn(
			'redis-server',
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{ stdio: 'ignore' },
		)
		const probe = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 })
		// Refused until redis-server listens; the ping below is retried until then.
		probe.on('error', () => {})
		try {
			await waitFor('private redis up', async () => (await probe.ping()) === 'PONG', 10_000)
		} finally {
			probe.disconnect()
		}
	}
	const down = async () => {
		const running = child
		child = null
		if (!running || running.exitCode !== null) return
		const exited = new Promise((r) => running.once('exit', r))
		running.kill('SIGKILL')
		await exited
	}
	await up()
	return { url, port, stop: down, start: up }
}

/** `npm start`'s server as a real process (without the client build). */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}) {
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
	let output = ''
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	)
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += chunk
			const match = /running at (http:\/\/\S+)/.exec(output)
			if (match) resolve(match[1])
		})
		child.stderr!.on('data', (chunk) => {
			output += chunk
		})
		exited.then((code) => reject(new Error(`server exited (${code}):\n${output}`)))
	})
	return {
		child,
		url,
		output: () => output,
		async stop(signal: NodeJS.Signals = 'SIGKILL') {
			if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
			child.kill(signal)
			return exited
		},
	}
}
