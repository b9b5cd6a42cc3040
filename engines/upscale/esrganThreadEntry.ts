import { parentPort } from 'node:worker_threads'
import { getEsrganModel } from './esrganModel'
import {
	type EsrganThreadReply,
	type EsrganThreadRequest,
	serializeError,
} from './esrganThreadProtocol'

/**
 * The ESRGAN thread's body (started by esrganThread.boot.mjs): tfjs-wasm and the weights load here
 * once, on the first tile of each scale, and every tile runs here, so the network's 100–300 ms of
 * synchronous work per tile never holds the main thread's event loop.
 */
const port = parentPort
if (!port) throw new Error('esrganThreadEntry.ts runs inside a worker thread, not as a script')

port.on('message', async (request: EsrganThreadRequest) => {
	let output: Float32Array<ArrayBuffer>
	try {
		const model = await getEsrganModel(request.scale)
		output = model.predict(request.input, request.width, request.height)
	} catch (err) {
		// Goes back to the caller, which rethrows it as the same class; the thread carries on.
		port.postMessage({ id: request.id, error: serializeError(err) } satisfies EsrganThreadReply)
		return
	}
	// Transferred: the 4× output of a tile is ~0.5 MB that would otherwise be copied.
	port.postMessage({ id: request.id, output } satisfies EsrganThreadReply, [output.buffer])
})
