import type { JobStatus } from '../../../shared/api'
import type { JobProgress } from '../../../shared/collab'

export const STATUS_LABELS: Record<JobStatus, string> = {
	queued: 'Queued',
	running: 'Generating',
	done: 'Done',
	failed: 'Failed',
	cancelled: 'Cancelled',
}

/**
 * The status pill in a node's header, or null for none. A finished upload or final says so by its
 * badge; a client's review shows the work, never the team's job states ("Done").
 */
export function statusPill(
	props: { kind: 'grid' | 'final' | 'upload'; status: JobStatus },
	options: { isClient: boolean },
): string | null {
	if (options.isClient) return null
	if (props.kind !== 'grid' && props.status === 'done') return null
	return STATUS_LABELS[props.status]
}

/** "~4 s", "~2 min"; null when there is no estimate. */
export function formatEta(etaMs: number | null | undefined): string | null {
	if (etaMs === null || etaMs === undefined || !Number.isFinite(etaMs) || etaMs < 0) return null
	const seconds = Math.max(1, Math.round(etaMs / 1000))
	if (seconds < 60) return `~${seconds} s`
	const minutes = Math.round(seconds / 60)
	return `~${minutes} min`
}

export function ordinal(n: number): string {
	const tens = n % 100
	if (tens >= 11 && tens <= 13) return `${n}th`
	switch (n % 10) {
		case 1:
			return `${n}st`
		case 2:
			return `${n}nd`
		case 3:
			return `${n}rd`
		default:
			return `${n}th`
	}
}

export interface ProgressView {
	/** The main line under the placeholder grid. */
	headline: string
	/** 0–1, or null for an indeterminate bar (queued, or no report yet). */
	fraction: number | null
	/** "~4 s left", "2nd in line". */
	detail: string | null
}

/**
 * What a pending node says, from its durable status (the doc) and the server's live progress
 * (awareness; may be missing, late, or from before a retry).
 */
export function progressView(status: JobStatus, live: JobProgress | undefined): ProgressView {
	// The doc is the truth about the status; awareness can lag it by a message.
	const running = status === 'running' || live?.status === 'running'
	if (running) {
		const fraction = live && live.status === 'running' ? live.progress : null
		const eta = formatEta(live?.etaMs)
		return {
			headline: fraction === null ? 'Starting…' : `Generating ${Math.round(fraction * 100)}%`,
			fraction,
			detail: eta ? `${eta} left` : null,
		}
	}
	if (live?.unservedModel)
		return {
			headline: `No worker serves ${live.unservedModel}`,
			fraction: null,
			detail: 'Waiting for one to come online',
		}
	const position = live?.position ?? null
	const eta = formatEta(live?.etaMs)
	return {
		headline: position === null ? 'Queued' : `Queued · ${ordinal(position)} in line`,
		fraction: null,
		detail: eta ? `ready in ${eta}` : null,
	}
}
