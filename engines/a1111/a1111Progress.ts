import { setTimeout as sleep } from 'node:timers/promises'
import type { PreviewImage } from '../types'
import type { A1111Http } from './a1111Http'

interface ProgressAnswer {
	active: boolean
	queued: boolean
	completed: boolean
	progress: number | null
	live_preview: string | null
	id_live_preview: number | null
}

function previewOf(dataUri: string): PreviewImage | null {
	const match = /^data:(image\/(?:jpeg|png|webp));base64,(.+)$/s.exec(dataUri)
	if (!match) return null
	return {
		mime: match[1] as PreviewImage['mime'],
		bytes: new Uint8Array(Buffer.from(match[2], 'base64')),
	}
}

/**
 * Polls `/internal/progress` for one task (A1111's per-task progress, keyed by the
 * `force_task_id` Arbor sent) until `stop` aborts: monotonic progress, each new live preview
 * once. A failed poll is skipped; the generation call itself reports real failures.
 */
export async function watchProgress(options: {
	http: A1111Http
	taskId: string
	intervalMs: number
	stop: AbortSignal
	onProgress: (fraction: number) => void
	onPreview?: (image: PreviewImage) => void
}): Promise<void> {
	let previewId = -1
	let reported = 0
	while (!options.stop.aborted) {
		try {
			const answer = await options.http.post<ProgressAnswer>(
				'/internal/progress',
				{
					id_task: options.taskId,
					id_live_preview: previewId,
					live_preview: Boolean(options.onPreview),
				},
				options.stop,
			)
			if (options.stop.aborted) return
			if (answer.active && typeof answer.progress === 'number' && answer.progress > reported) {
				// Sampling ends before the images are encoded and sent: keep the last 5 % for that.
				reported = answer.progress
				options.onProgress(Math.min(0.95, reported))
			}
			if (answer.live_preview && options.onPreview) {
				const preview = previewOf(answer.live_preview)
				if (preview) options.onPreview(preview)
				previewId = answer.id_live_preview ?? previewId
			}
		} catch {
			// A missed poll only delays the bar; the generation call reports real failures.
		}
		// An abort ends the wait early; the loop condition then stops the watch.
		await sleep(options.intervalMs, undefined, { signal: options.stop }).catch(() => undefined)
	}
}

/**
 * Cancel without touching anyone else's work: A1111's `/interrupt` stops whatever runs, so it is
 * sent only while our task is the active one. A task still queued behind someone else's (A1111
 * keeps running a request whose client hung up) is watched until it starts, then interrupted, or
 * until it has finished or `giveUpMs` passed.
 */
export async function interruptOwnTask(options: {
	http: A1111Http
	taskId: string
	intervalMs: number
	giveUpMs: number
}): Promise<'interrupted' | 'finished' | 'gave_up'> {
	const deadline = Date.now() + options.giveUpMs
	// Neither queued, active nor completed: the request may not have reached A1111 yet.
	let unseen = 0
	while (Date.now() < deadline) {
		const answer = await options.http.post<ProgressAnswer>('/internal/progress', {
			id_task: options.taskId,
			id_live_preview: -1,
			live_preview: false,
		})
		if (answer.active) {
			await options.http.post('/sdapi/v1/interrupt', {})
			return 'interrupted'
		}
		if (answer.completed) return 'finished'
		if (!answer.queued && ++unseen >= 5) return 'finished'
		await sleep(options.intervalMs)
	}
	return 'gave_up'
}
