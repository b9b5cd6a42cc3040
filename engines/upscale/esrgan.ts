import type { RgbImage } from '../builtin/pixels'
import { type EsrganScale, getEsrganModel } from './esrganModel'
import { getEsrganThread } from './esrganThread'
import { planTiles, type Tile } from './tiles'

/**
 * Where the network runs. `thread` (default): in the process's one ESRGAN worker thread (see
 * getEsrganThread), so the caller's event loop keeps turning during each tile — in embedded mode
 * the server's websockets, HTTP and job progress; in a queue-mode worker (`npm run worker`, same
 * default, same code) its BullMQ lock renewals and progress reports. Concurrent upscales share the
 * thread tile by tile, as they shared the main thread before. `inline`: on the calling thread,
 * yielding only between tiles — the original path, kept as the benchmark's baseline and as a
 * fallback should worker threads misbehave somewhere.
 */
export type EsrganRunner = 'thread' | 'inline'

export interface EsrganUpscaleOptions {
	/**
	 * Checked before every tile. Inline, cancelling stops within one tile's time; in the thread the
	 * wait stops at once (the thread finishes its tile and drops it).
	 */
	signal: AbortSignal
	/** Fraction of tiles done, 0–1, after each tile. */
	onProgress?: (fraction: number) => void
	/**
	 * Target core tile side in input pixels. The network takes ~16 µs per input pixel at 2×, ~22 µs
	 * at 4×, with its context: 64 keeps a tile near 0.15 s on an idle core, for ~15% more total
	 * time than 96. Inline, each tile blocks the event loop that long; in the thread it bounds how
	 * long a cancelled job keeps the thread busy. Default 64.
	 */
	tileSize?: number
	/** Default `thread`. Both give the same bytes. */
	runner?: EsrganRunner
}

/**
 * Context read around each tile. ESRGAN-slim (RDN, C1 D2 G4) reacts to pixels up to ~9 input
 * pixels away (measured with an impulse), so 12 makes tiled output match whole-image output.
 */
export const TILE_PAD = 12

type Predict = (
	input: Float32Array<ArrayBuffer>,
	width: number,
	height: number,
) => Promise<Float32Array>

async function getPredict(
	scale: EsrganScale,
	runner: EsrganRunner,
	signal: AbortSignal,
): Promise<Predict> {
	if (runner === 'thread') {
		const thread = getEsrganThread()
		return (input, width, height) => thread.predict({ scale, input, width, height, signal })
	}
	const model = await getEsrganModel(scale)
	return async (input, width, height) => model.predict(input, width, height)
}

/**
 * Tiles handed to the thread ahead of the one being waited for. With 2 the thread always has the
 * next tile queued while the caller stitches the last one, so it never idles waiting on a busy (or
 * descheduled) main thread; a cancelled job costs the thread at most one tile more.
 */
const THREAD_PIPELINE_DEPTH = 2

/** Copies a tile's input region (core + context) out of the image as the network's floats. */
function cutTile(image: RgbImage, tile: Tile): Float32Array<ArrayBuffer> {
	const input = new Float32Array(tile.inWidth * tile.inHeight * 3)
	for (let y = 0; y < tile.inHeight; y++) {
		const src = ((tile.inY + y) * image.width + tile.inX) * 3
		for (let i = 0; i < tile.inWidth * 3; i++) input[y * tile.inWidth * 3 + i] = image.rgb[src + i]
	}
	return input
}

/**
 * Neural 2× or 4× upscaling of an RGB image with ESRGAN-slim on tfjs-wasm, tile by tile, in the
 * ESRGAN thread (or inline, see EsrganRunner). Output is exactly (width × scale) × (height × scale).
 * Cutting tiles and stitching their cores stay on the calling thread (well under 1 ms a tile), so
 * both runners share that code and give the same bytes.
 *
 * @example const big = await esrganUpscale({ width, height, rgb }, 4, { signal })
 */
export async function esrganUpscale(
	image: RgbImage,
	scale: EsrganScale,
	options: EsrganUpscaleOptions,
): Promise<RgbImage> {
	const { width, height } = image
	options.signal.throwIfAborted()
	const runner = options.runner ?? 'thread'
	const predict = await getPredict(scale, runner, options.signal)
	const outWidth = width * scale
	const out = new Uint8Array(outWidth * height * scale * 3)
	const tiles = planTiles(width, height, options.tileSize ?? 64, TILE_PAD)
	// Inline, predict() runs the network as it is called: one tile at a time, or the loop would
	// hold the event loop for two tiles in a row.
	const depth = runner === 'thread' ? THREAD_PIPELINE_DEPTH : 1
	const inFlight: Promise<Float32Array>[] = []
	let sent = 0
	for (const [k, tile] of tiles.entries()) {
		options.signal.throwIfAborted()
		while (sent < tiles.length && inFlight.length < depth) {
			const next = tiles[sent++]
			const result = predict(cutTile(image, next), next.inWidth, next.inHeight)
			// Awaited below in order; if an earlier tile fails first, the job rejects with that error
			// and this one's (the same abort or crash) has nowhere to go.
			result.catch(() => {})
			inFlight.push(result)
		}
		const result = await inFlight.shift()!
		// Keep only the core: its context pixels belong to the neighbouring tiles.
		const resultWidth = tile.inWidth * scale
		const ox = (tile.x - tile.inX) * scale
		const oy = (tile.y - tile.inY) * scale
		for (let y = 0; y < tile.height * scale; y++) {
			const src = ((oy + y) * resultWidth + ox) * 3
			const dst = ((tile.y * scale + y) * outWidth + tile.x * scale) * 3
			for (let i = 0; i < tile.width * scale * 3; i++) {
				const v = result[src + i] + 0.5
				out[dst + i] = v < 0 ? 0 : Math.min(v, 255)
			}
		}
		options.onProgress?.((k + 1) / tiles.length)
		// Inline, the network held the loop for the whole tile: let timers, sockets and I/O run.
		if (runner === 'inline') await new Promise<void>((resolve) => setImmediate(resolve))
	}
	options.signal.throwIfAborted()
	return { width: outWidth, height: height * scale, rgb: out }
}
