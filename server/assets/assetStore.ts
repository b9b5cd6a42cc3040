import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'

/** Long edge of a thumbnail: a 200-unit canvas cell on a 2× screen, with a little zoom headroom. */
export const THUMB_EDGE = 384

export type AssetSize = 'full' | 'thumb'

/**
 * Content-addressed image files: `<dir>/ab/<sha256>.png` and its WebP thumbnail beside it. Writing
 * the same bytes twice is a no-op, so a redelivered job result costs nothing and breaks nothing.
 */
export class AssetStore {
	constructor(private readonly dir: string) {}

	path(sha256: string, size: AssetSize): string {
		const name = size === 'full' ? `${sha256}.png` : `${sha256}.thumb.webp`
		return join(this.dir, sha256.slice(0, 2), name)
	}

	/** Stores a PNG and its thumbnail; returns the content address. */
	async putPng(png: Uint8Array): Promise<string> {
		const sha256 = createHash('sha256').update(png).digest('hex')
		const full = this.path(sha256, 'full')
		if (await exists(full)) return sha256
		const thumb = await sharp(png)
			.resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true })
			// Effort 1 (of 0–6, default 4) halves the encode time, which sits between a finished
			// job and its node on every screen, for thumbnails ~25 % larger (still ~4 KiB).
			.webp({ quality: 82, effort: 1 })
			.toBuffer()
		// Thumbnail first: a full file present means both are complete.
		await writeAtomic(this.path(sha256, 'thumb'), thumb)
		await writeAtomic(full, png)
		return sha256
	}

	/** The full PNG (and so its thumbnail) is stored. */
	has(sha256: string): Promise<boolean> {
		return exists(this.path(sha256, 'full'))
	}

	read(sha256: string, size: AssetSize): Promise<Buffer> {
		return readFile(this.path(sha256, size))
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
	const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
	await writeFile(tmp, bytes)
	await rename(tmp, path)
}
