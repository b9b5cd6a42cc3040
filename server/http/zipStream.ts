import { Zip, ZipPassThrough } from 'fflate'

/** One file of an archive: read only when the download reaches it. */
export interface ZipEntry {
	name: string
	bytes(): Promise<Uint8Array>
}

/**
 * A file is pushed through the zip in slices of this size: each slice's CRC takes well under a
 * millisecond, and the download can pause between any two of them.
 */
const SLICE_BYTES = 256 * 1024

let open = 0

/** Zip downloads being produced right now (a cancelled or finished one is no longer counted). */
export const openZipStreams = () => open

/**
 * A zip archive as a byte stream, produced as it is read. Entries are stored as they are (no
 * compression: Arbor's files are PNGs, already deflated), each read only when the reader has taken
 * what came before — a slow or paused download holds one file in memory, not the archive — and
 * the event loop is given back between slices. Cancelling the stream (a client that hangs up)
 * stops it: no file after that is read. A failing entry errors the stream.
 */
export function zipStream(entries: () => Iterable<ZipEntry>): ReadableStream<Uint8Array> {
	let pending: Uint8Array[] = []
	let failure: Error | null = null
	const zip = new Zip((err, chunk) => {
		if (err) failure = err
		else pending.push(chunk)
	})
	const take = (): Uint8Array => {
		if (failure) throw failure
		const out = pending.length === 1 ? pending[0] : concat(pending)
		pending = []
		return out
	}

	async function* produce(): AsyncGenerator<Uint8Array> {
		open += 1
		try {
			for (const entry of entries()) {
				const bytes = await entry.bytes()
				const file = new ZipPassThrough(entry.name)
				zip.add(file)
				let at = 0
				do {
					const end = Math.min(at + SLICE_BYTES, bytes.length)
					file.push(bytes.subarray(at, end), end === bytes.length)
					at = end
					yield take()
				} while (at < bytes.length)
			}
			zip.end()
			yield take()
		} finally {
			open -= 1
		}
	}

	const chunks = produce()
	return new ReadableStream<Uint8Array>({
		// Each pull must enqueue or close: a pull that returns with neither is not called again.
		async pull(controller) {
			for (;;) {
				const { done, value } = await chunks.next()
				if (done) return controller.close()
				if (value.length > 0) return controller.enqueue(value)
			}
		},
		async cancel() {
			await chunks.return(undefined)
		},
	})
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
	let at = 0
	for (const p of parts) {
		out.set(p, at)
		at += p.length
	}
	return out
}
