import sharp from 'sharp'

import type { PreviewImage } from './types'

/** Longest side of a preview that leaves the engine's machine. */
export const PREVIEW_MAX_PX = 256
/** At most this many previews per second per job reach the server (and so every canvas). */
export const PREVIEWS_PER_SECOND = 2
export const PREVIEW_EVERY_MS = 1000 / PREVIEWS_PER_SECOND
/** A preview larger than this (after downscaling) is dropped: previews are glances, not files. */
export const MAX_PREVIEW_BYTES = 256 * 1024
export const PREVIEW_MIME = 'image/webp'

/**
 * Any image → WebP whose longest side is at most `PREVIEW_MAX_PX`. A 256 px WebP at quality 70 is
 * ~5–15 kB: small enough to fetch twice a second per job on every collaborator's screen.
 */
export async function shrinkPreview(bytes: Uint8Array): Promise<Uint8Array> {
	const out = await sharp(bytes)
		.resize(PREVIEW_MAX_PX, PREVIEW_MAX_PX, { fit: 'inside', withoutEnlargement: true })
		.webp({ quality: 70 })
		.toBuffer()
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

export interface PreviewRelayOptions {
	/** Delivers one shrunken WebP preview (the server's internal API, or the server's own store). */
	send: (bytes: Uint8Array) => Promise<void>
	/** Called when a preview could not be shrunk or sent; previews are best effort. */
	onError?: (err: unknown) => void
	/** Minimum time between two sends. Default `PREVIEW_EVERY_MS`. */
	everyMs?: number
}

export interface PreviewRelay {
	/** The engine's callback: take the newest frame; older unsent ones are dropped. */
	push(image: PreviewImage): void
	/** The job ended: drop whatever is pending and send nothing more. */
	close(): void
}

/**
 * Between an engine and the wire: keeps only the newest frame, shrinks it (sharp, ≤ 256 px WebP)
 * and sends at most one every `everyMs`, the trailing frame included, so the last preview before a
 * pause is the one people see. One send at a time: a slow server never piles frames up.
 */
export function createPreviewRelay(options: PreviewRelayOptions): PreviewRelay {
	const everyMs = options.everyMs ?? PREVIEW_EVERY_MS
	let pending: PreviewImage | null = null
	let lastSent = Number.NEGATIVE_INFINITY
	let busy = false
	let timer: NodeJS.Timeout | null = null
	let closed = false

	async function sendPending() {
		timer = null
		if (closed || busy || !pending) return
		const wait = lastSent + everyMs - Date.now()
		if (wait > 0) {
			timer = setTimeout(sendPending, wait)
			timer.unref()
			return
		}
		const image = pending
		pending = null
		busy = true
		lastSent = Date.now()
		try {
			const bytes = await shrinkPreview(image.bytes)
			if (!closed && bytes.byteLength <= MAX_PREVIEW_BYTES) await options.send(bytes)
		} catch (err) {
			options.onError?.(err)
		} finally {
			busy = false
			if (pending && !closed) void sendPending()
		}
	}

	return {
		push(image) {
			if (closed) return
			pending = image
			if (!timer && !busy) void sendPending()
		},
		close() {
			closed = true
			pending = null
			if (timer) clearTimeout(timer)
			timer = null
		},
	}
}
