import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as Tf from '@tensorflow/tfjs'

type Tfjs = typeof Tf

/** Scales the bundled ESRGAN-slim weights come in that we use. */
export type EsrganScale = 2 | 4

/** One loaded network: RGB floats 0–255 in (h × w × 3), RGB floats 0–255 out (scale× each side). */
export interface EsrganModel {
	readonly scale: EsrganScale
	predict(input: Float32Array, width: number, height: number): Float32Array<ArrayBuffer>
}

export const ESRGAN_PACKAGE = '@upscalerjs/esrgan-slim'
const require = createRequire(import.meta.url)

/** The installed package's root: its entry points are under dist/, the weights under models/. */
function packageRoot(name: string): string {
	let dir = path.dirname(require.resolve(name))
	for (;;) {
		try {
			const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
				name?: string
			}
			if (pkg.name === name) return dir
		} catch {
			// No package.json at this level: keep walking up.
		}
		const up = path.dirname(dir)
		if (up === dir) throw new Error(`Could not find the root of ${name}`)
		dir = up
	}
}

/** The installed weights' version, for provenance. */
export function esrganVersion(): string {
	const pkg = JSON.parse(
		readFileSync(path.join(packageRoot(ESRGAN_PACKAGE), 'package.json'), 'utf8'),
	)
	return String(pkg.version)
}

let runtime: Promise<Tfjs> | null = null
const models = new Map<EsrganScale, Promise<EsrganModel>>()

/**
 * tfjs on its wasm backend, started once per process. The wasm build's Emscripten glue installs
 * process-wide `uncaughtException`/`unhandledRejection` handlers that rethrow (and so would
 * crash a server that logs and carries on); they are removed again once the backend is up.
 */
async function startRuntime(): Promise<Tfjs> {
	const tf = await import('@tensorflow/tfjs')
	const wasm = await import('@tensorflow/tfjs-backend-wasm')
	// The .wasm binaries sit next to the package's node entry point (dist/): no fetch, no CDN.
	wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`)
	const uncaught = new Set(process.listeners('uncaughtException'))
	const rejection = new Set(process.listeners('unhandledRejection'))
	const ok = await tf.setBackend('wasm')
	await tf.ready()
	for (const listener of process.listeners('uncaughtException'))
		if (!uncaught.has(listener)) process.removeListener('uncaughtException', listener)
	for (const listener of process.listeners('unhandledRejection'))
		if (!rejection.has(listener)) process.removeListener('unhandledRejection', listener)
	if (!ok || tf.getBackend() !== 'wasm') throw new Error('tfjs could not start its wasm backend')
	return tf
}

async function loadModel(scale: EsrganScale): Promise<EsrganModel> {
	runtime ??= startRuntime()
	const tf = await runtime
	const dir = path.join(packageRoot(ESRGAN_PACKAGE), 'models', `x${scale}`)
	const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'))
	const [group] = json.weightsManifest as {
		paths: string[]
		weights: Tf.io.WeightsManifestEntry[]
	}[]
	const shards = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))))
	const weights = Buffer.concat(shards)
	// A custom IO handler: the model comes from disk, never over fetch.
	const network = await tf.loadLayersModel({
		load: async () => ({
			modelTopology: json.modelTopology,
			format: json.format,
			generatedBy: json.generatedBy,
			convertedBy: json.convertedBy,
			weightSpecs: group.weights,
			weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
		}),
	})
	return {
		scale,
		predict(input, width, height) {
			const output = tf.tidy(
				() => network.predict(tf.tensor4d(input, [1, height, width, 3])) as Tf.Tensor,
			)
			try {
				// Copy out of the wasm heap before the tensor's memory is released.
				return Float32Array.from(output.dataSync() as Float32Array)
			} finally {
				output.dispose()
			}
		},
	}
}

/**
 * The ESRGAN-slim network for `scale`, loaded on first use and kept for the life of the process
 * (each is ~1 MB of weights). A failed load is not cached, so the next job tries again.
 */
export function getEsrganModel(scale: EsrganScale): Promise<EsrganModel> {
	let model = models.get(scale)
	if (!model) {
		model = loadModel(scale).catch((err: unknown) => {
			models.delete(scale)
			runtime = null
			throw err
		})
		models.set(scale, model)
	}
	return model
}
