import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { images, jobs } from './db/schema'
import { openZipStreams } from './http/zipStream'
import { newId } from './ids'
import { finalsOf, pngWithProvenance } from './queries/provenance'
import type { RunningServer } from './server'
import {
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitFor,
} from './test/factories'

// finals.zip and review.zip are streamed (#12 item 14): a valid archive, produced while the
// server goes on answering, started before every file is read, paused with a slow reader and
// stopped by a reader that hangs up.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser

/** Noise does not compress: a 1024² RGB PNG stored without deflate is ~3 MiB. */
async function noisePng(edge: number): Promise<Uint8Array> {
	const raw = Buffer.alloc(edge * edge * 3)
	for (let i = 0; i < raw.length; i++) raw[i] = (Math.random() * 256) | 0
	return sharp(raw, { raw: { width: edge, height: edge, channels: 3 } })
		.png({ compressionLevel: 0 })
		.toBuffer()
}

/** A board holding `pngs.length × copies` finals, as a finished upscale job leaves them. */
async function boardWithFinals(pngs: Uint8Array[], copies = 1): Promise<string> {
	const board = await buildBoard(server, owner, 'Finals')
	const { db, assets } = server.ctx
	const jobId = newId('job')
	db.insert(jobs)
		.values({
			id: jobId,
			boardId: board.id,
			op: 'upscale',
			opVersion: 1,
			status: 'done',
			prompt: 'a heron at dawn',
			params: {},
			seeds: [1],
			width: 1024,
			height: 1024,
			cost: 0,
			createdBy: owner.id,
		})
		.run()
	let index = 0
	for (const png of pngs) {
		const sha256 = await assets.putPng(png)
		for (let c = 0; c < copies; c++)
			db.insert(images)
				.values({
					id: newId('image'),
					boardId: board.id,
					jobId,
					index: index++,
					seed: index,
					width: 1024,
					height: 1024,
					sha256,
					backend: 'test',
					model: 'test',
					version: '1',
				})
				.run()
	}
	return board.id
}

const download = (boardId: string, name: 'finals' | 'review', signal?: AbortSignal) =>
	fetch(`${server.url}/api/boards/${boardId}/${name}.zip`, {
		headers: { cookie: owner.cookie },
		signal,
	})

/** Counts full-size reads from the asset store from now on. */
function countFullReads() {
	const store = server.ctx.assets
	const read = store.read.bind(store)
	let n = 0
	store.read = (sha256, size) => {
		if (size === 'full') n += 1
		return read(sha256, size)
	}
	return {
		count: () => n,
		restore: () => {
			store.read = read
		},
	}
}

/**
 * The most CPU time this process spent between two ticks of a 5 ms timer while `during` ran: what
 * a synchronous stretch of work holds the loop for. CPU time, not the wall clock, so another
 * process taking the machine's cores is not counted as our own blocking.
 */
async function longestBlock(
	during: () => Promise<void>,
): Promise<{ cpuMs: number; wallMs: number }> {
	let cpuMs = 0
	let wallMs = 0
	let lastCpu = process.cpuUsage()
	let lastWall = performance.now()
	const timer = setInterval(() => {
		const cpu = process.cpuUsage(lastCpu)
		const now = performance.now()
		cpuMs = Math.max(cpuMs, (cpu.user + cpu.system) / 1000)
		wallMs = Math.max(wallMs, now - lastWall)
		lastCpu = process.cpuUsage()
		lastWall = now
	}, 5)
	try {
		await during()
	} finally {
		clearInterval(timer)
	}
	return { cpuMs, wallMs }
}

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	owner = await buildUser(server, 'Owner')
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

describe('archive downloads', () => {
	it('are valid zips holding every final with its provenance, byte for byte', async () => {
		const boardId = await boardWithFinals(await Promise.all([64, 96, 128].map(noisePng)))
		for (const name of ['finals', 'review'] as const) {
			const res = await download(boardId, name)
			expect(res.status).toBe(200)
			expect(res.headers.get('content-type')).toBe('application/zip')
			const bytes = new Uint8Array(await res.arrayBuffer())
			const files = unzipSync(bytes)
			const finals = finalsOf(server.ctx.db, boardId)
			expect(Object.keys(files).sort()).toEqual(
				[
					...finals.map((f) => `finals/${f.id}.png`),
					'lineage.json',
					...(name === 'review' ? ['decisions.json'] : []),
				].sort(),
			)
			for (const image of finals)
				expect(files[`finals/${image.id}.png`]).toEqual(await pngWithProvenance(server.ctx, image))
			expect(JSON.parse(new TextDecoder().decode(files['lineage.json']))).toBeTruthy()
			// Info-ZIP agrees: every entry's CRC checks out.
			const path = join(tmp.dir, `${name}.zip`)
			writeFileSync(path, bytes)
			expect(execFileSync('unzip', ['-tq', path]).toString()).toContain('No errors detected')
		}
	})

	it('keep the server answering while a large one is produced', async () => {
		// 32 finals of ~3 MiB: building this zip in one go blocks the loop for ~250 ms.
		const boardId = await boardWithFinals([await noisePng(1024)], 32)
		let bytes = 0
		const block = await longestBlock(async () => {
			const reader = (await download(boardId, 'finals')).body!.getReader()
			for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length
		})
		expect(bytes).toBeGreaterThan(32 * 3 * 1024 * 1024)
		expect(block.cpuMs).toBeLessThan(100)
	})

	it('start before every file is read, wait for a slow reader, and stop when it hangs up', async () => {
		const files = 48
		const boardId = await boardWithFinals([await noisePng(1024)], files)
		const reads = countFullReads()
		try {
			const abort = new AbortController()
			const res = await download(boardId, 'review', abort.signal)
			const reader = res.body!.getReader()
			const first = await reader.read()
			expect(first.value?.length).toBeGreaterThan(0)
			expect(reads.count()).toBeLessThan(files)
			// A reader that takes nothing more holds the archive back: socket and stream buffers hold some
			// files (12 of 24 in one CI run), never most of 48.
			await new Promise((r) => setTimeout(r, 300))
			const paused = reads.count()
			expect(paused).toBeLessThan(files / 2)
			abort.abort()
			await waitFor('the archive to stop', () => openZipStreams() === 0 || undefined)
			await new Promise((r) => setTimeout(r, 200))
			expect(reads.count()).toBeLessThanOrEqual(paused + 1)
			// Nothing broke: the next download is whole.
			const again = await download(boardId, 'finals')
			expect(Object.keys(unzipSync(new Uint8Array(await again.arrayBuffer())))).toHaveLength(
				files + 1,
			)
		} finally {
			reads.restore()
		}
	})
})
