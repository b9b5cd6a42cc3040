import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { type ImageFileSize, THUMBNAIL_EDGES } from '../../shared/api'
import { ByteCache } from './byteCache'

export type AssetSize = ImageFileSize

/** Thumbnail bytes kept in memory: ~9,000 thumbnails or ~35,000 small ones. */
const CACHE_BYTES = 32 * 1024 * 1024

/** A WebP no larger than `edge` on its long side, with no metadata (sharp writes none). */
function webp(image: Uint8Array, edge: number): Promise<Buffer> {
	return (
		sharp(image)
			.resize(edge, edge, { fit: 'inside', withoutEnlargement: true })
			// Effort 1 (of 0–6, default 4) halves the encode time, which sits between a finished
			// job and its node on every screen, for thumbnails ~25 % larger (still ~4 KiB).
			.webp({ quality: 82, effort: 1 })
			.toBuffer()
	)
}

/**
 * Content-addressed image files: `<dir>/ab/<sha256>.png` and its WebP thumbnails beside it
 * (`.thumb.webp`, and `.small.webp` once asked for). Writing the same bytes twice is a no-op, so
 * a redelivered job result costs nothing and breaks nothing.
 */
export class AssetStore {
	/** Thumbnails recently served: they are read thousands of times, and never change. */
	private readonly cache = new ByteCache(CACHE_BYTES)
	/** Small thumbnails being derived, so a view's burst of requests derives each once. */
	private readonly deriving = new Map<string, Promise<Buffer>>()

	constructor(private readonly dir: string) {}

	path(sha256: string, size: AssetSize): string {
		const name = size === 'full' ? `${sha256}.png` : `${sha256}.${size}.webp`
		return join(this.dir, sha256.slice(0, 2), name)
	}

	/**
	 * Stores a PNG and its thumbnail; returns the content address. The small thumbnail is derived
	 * on first read instead: this sits between a finished job and its node on every screen, and a
	 * new node is usually looked at up close.
	 */
	async putPng(png: Uint8Array): Promise<string> {
		const sha256 = createHash('sha256').update(png).digest('hex')
		const full = this.path(sha256, 'full')
		if (await exists(full)) return sha256
		const thumb = await webp(png, THUMBNAIL_EDGES.thumb)
		// Thumbnail first: a full file present means both are complete.
		await writeAtomic(this.path(sha256, 'thumb'), thumb)
		await writeAtomic(full, png)
		return sha256
	}

	/** The full PNG (and so its thumbnail) is stored. */
	has(sha256: string): Promise<boolean> {
		return exists(this.path(sha256, 'full'))
	}

	/**
	 * The bytes of one size. Thumbnails come from memory when recently read. A small thumbnail is
	 * derived on its first read and stored beside the others.
	 */
	async read(sha256: string, size: AssetSize): Promise<Buffer> {
		if (size === 'full') return readFile(this.path(sha256, size))
		const key = `${sha256}.${size}`
		const cached = this.cache.get(key)
		if (cached) return cached
		const bytes = await readFile(this.path(sha256, size)).catch((err: NodeJS.ErrnoException) => {
			if (size === 'small' && err.code === 'ENOENT') return this.deriveSmall(sha256)
			throw err
		})
		this.cache.set(key, bytes)
		return bytes
	}

	/**
	 * From the stored thumbnail, not the PNG: 3 ms instead of 7 ms (512²) to 35 ms (a 2048² final)
	 * when zooming out asks for hundreds at once, and at 128 px the result is the same (41.6 dB
	 * PSNR between the two, ~900 bytes either way).
	 */
	private deriveSmall(sha256: string): Promise<Buffer> {
		let pending = this.deriving.get(sha256)
		if (!pending) {
			pending = (async () => {
				const small = await webp(await readFile(this.path(sha256, 'thumb')), THUMBNAIL_EDGES.small)
				await writeAtomic(this.path(sha256, 'small'), small)
				return small
			})().finally(() => this.deriving.delete(sha256))
			this.deriving.set(sha256, pending)
		}
		return pending
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await stat(path)
		return true
	} catch {
		return false
	}
}

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
	await mkdir(dirname(path), { recursive: true })
	// Two derivations of one file may race (two servers on one data dir): distinct temp names.
	const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`
	await writeFile(tmp, bytes)
	await rename(tmp, path)
}
