import sharp from 'sharp'
import {
	MAX_PREVIEW_BYTES,
	PREVIEW_EVERY_MS,
	PREVIEW_MAX_PX,
	PREVIEW_MIME,
	shrinkPreview,
} from '../../engines/previews'

export interface StoredPreview {
	n: number
	bytes: Uint8Array
	mime: string
}

export interface PreviewStoreOptions {
	/** A new preview is ready to be shown (ProgressPublisher.preview). */
	onPreview: (jobId: string, n: number) => void
	/** Minimum time between two previews of one job going out. Default `PREVIEW_EVERY_MS`. */
	everyMs?: number
}

interface JobPreviews {
	shown: StoredPreview | null
	/** The newest frame not yet shown (arrived within `everyMs` of the last one). */
	waiting: Uint8Array | null
	lastShownAt: number
	timer: NodeJS.Timeout | null
}

/**
 * Live previews of running jobs, kept in memory only: never written to the doc, the database or
 * the asset store, and dropped when the job ends (its result replaces them).
 *
 * How they reach every canvas: the job's awareness entry carries only the preview's number and
 * each client fetches `GET …/jobs/:jobId/preview` when it changes. Awareness resends the server's
 * whole state on every change (progress goes out up to 10×/s per board), so bytes in it — even a
 * bounded data URL — would be resent to every client with every progress tick of every job; a
 * number costs nothing and the image is fetched once per client per preview, with the viewer's own
 * board access checked on the way.
 *
 * Enforced here, whoever sends (the embedded engine or a worker): at most one preview per job
 * every `everyMs` (the newest one waits for its turn, older waiting ones are dropped), each
 * re-encoded by sharp to a WebP of at most `PREVIEW_MAX_PX` a side.
 */
export class PreviewStore {
	private readonly jobs = new Map<string, JobPreviews>()
	private readonly everyMs: number
	private counter = 0

	constructor(private readonly options: PreviewStoreOptions) {
		this.everyMs = options.everyMs ?? PREVIEW_EVERY_MS
	}

	/** Takes a frame for a running job (any image format sharp reads; bad bytes are dropped). */
	put(jobId: string, bytes: Uint8Array): void {
		let entry = this.jobs.get(jobId)
		if (!entry) {
			entry = { shown: null, waiting: null, lastShownAt: Number.NEGATIVE_INFINITY, timer: null }
			this.jobs.set(jobId, entry)
		}
		entry.waiting = bytes
		this.schedule(jobId, entry)
	}

	get(jobId: string): StoredPreview | undefined {
		return this.jobs.get(jobId)?.shown ?? undefined
	}

	/** The job ended: forget its previews (the result is what people see now). */
	clear(jobId: string): void {
		const entry = this.jobs.get(jobId)
		if (entry?.timer) clearTimeout(entry.timer)
		this.jobs.delete(jobId)
	}

	close(): void {
		for (const jobId of [...this.jobs.keys()]) this.clear(jobId)
	}

	private schedule(jobId: string, entry: JobPreviews): void {
		if (entry.timer) return
		const wait = Math.max(0, entry.lastShownAt + this.everyMs - Date.now())
		// Claim the slot now: a frame arriving while this one is being encoded waits its turn.
		entry.timer = setTimeout(() => void this.show(jobId, entry), wait)
		entry.timer.unref()
	}

	private async show(jobId: string, entry: JobPreviews): Promise<void> {
		const bytes = entry.waiting
		entry.waiting = null
		entry.lastShownAt = Date.now()
		let shown: StoredPreview | null = null
		if (bytes) {
			const encoded = await normalize(bytes)
			if (encoded) shown = { n: ++this.counter, bytes: encoded, mime: PREVIEW_MIME }
		}
		entry.timer = null
		// Cleared (the job ended) while encoding: the frame is late, drop it.
		if (this.jobs.get(jobId) !== entry) return
		if (shown) {
			entry.shown = shown
			this.options.onPreview(jobId, shown.n)
		}
		if (entry.waiting) this.schedule(jobId, entry)
	}
}

/** A WebP of at most PREVIEW_MAX_PX a side, or null for bytes that are not an image. */
async function normalize(bytes: Uint8Array): Promise<Uint8Array | null> {
	try {
		const meta = await sharp(bytes).metadata()
		const small = (meta.width ?? 0) <= PREVIEW_MAX_PX && (meta.height ?? 0) <= PREVIEW_MAX_PX
		const out = meta.format === 'webp' && small ? bytes : await shrinkPreview(bytes)
		return out.byteLength <= MAX_PREVIEW_BYTES ? out : null
	} catch {
		// Not an image sharp reads: a preview is a courtesy, the job runs on without it.
		return null
	}
}
