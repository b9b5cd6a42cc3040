import type { JobProgress } from '../../shared/collab'
import type { QueueEntry } from '../../shared/queue'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'

/** One unfinished job as the queue panel lists it. */
export interface QueueItem {
	jobId: string
	label: string
	prompt: string
	status: 'queued' | 'running'
	/** 1-based place in line while queued. */
	position: number | null
	/** 0–1 while running. */
	progress: number
	etaMs: number | null
	/** Who asked; null while it is being looked up. */
	createdBy: { id: string; name: string } | null
	/** Whether the caller may cancel it; null when unknown (the server decides on the click). */
	canCancel: boolean | null
}

/** What the doc says about a pending job's node. */
export interface PendingNode {
	jobId: string
	label: string
	prompt: string
	status: 'queued' | 'running'
}

type ShapeLike = { type: string; props: unknown }

export interface BoardJobs {
	/** Nodes whose job is still queued or running, in the doc's order. */
	pending: PendingNode[]
	/** Jobs whose node shows them done, failed or cancelled. */
	finished: Set<string>
}

/** The board's jobs as its nodes show them: the doc is the durable truth about status. */
export function boardJobs(shapes: Iterable<ShapeLike>): BoardJobs {
	const pending: PendingNode[] = []
	const finished = new Set<string>()
	for (const shape of shapes) {
		if (shape.type !== GENERATION_SHAPE) continue
		const { jobId, label, prompt, status } = shape.props as GenerationShape['props']
		if (status === 'queued' || status === 'running') pending.push({ jobId, label, prompt, status })
		else finished.add(jobId)
	}
	return { pending, finished }
}

function withLive<T extends QueueItem>(item: T, live: JobProgress | undefined): T {
	if (!live) return item
	// Awareness is fresher about progress; it cannot revive a job the doc says is over.
	const status = live.status === 'running' || live.status === 'queued' ? live.status : item.status
	return {
		...item,
		status,
		position: status === 'queued' ? (live.position ?? item.position) : null,
		progress: status === 'running' ? live.progress : 0,
		etaMs: live.etaMs ?? item.etaMs,
	}
}

/** Running first (furthest along first), then queued in line order; ties keep their order. */
export function sortQueue(items: QueueItem[]): QueueItem[] {
	const rank = (item: QueueItem) => (item.status === 'running' ? 0 : 1)
	return items
		.map((item, index) => ({ item, index }))
		.sort((a, b) => {
			const byStatus = rank(a.item) - rank(b.item)
			if (byStatus !== 0) return byStatus
			if (a.item.status === 'running') return b.item.progress - a.item.progress || a.index - b.index
			const pa = a.item.position ?? Number.POSITIVE_INFINITY
			const pb = b.item.position ?? Number.POSITIVE_INFINITY
			return pa - pb || a.index - b.index
		})
		.map(({ item }) => item)
}

/**
 * The queue built on the client, for servers without a queue view: the doc's pending nodes,
 * live progress from awareness, and who asked (looked up per job).
 */
export function queueFromNodes(options: {
	jobs: BoardJobs
	live: Record<string, JobProgress>
	askers: ReadonlyMap<string, { id: string; name: string }>
}): QueueItem[] {
	const items = options.jobs.pending.map((node) =>
		withLive(
			{
				...node,
				position: null,
				progress: 0,
				etaMs: null,
				createdBy: options.askers.get(node.jobId) ?? null,
				canCancel: null,
			},
			options.live[node.jobId],
		),
	)
	return sortQueue(items)
}

/**
 * The server's queue view, with live progress laid over it and the doc's labels. A job the doc
 * already shows as finished is left out: the view may be a moment behind the canvas.
 */
export function queueFromEntries(options: {
	entries: QueueEntry[]
	live: Record<string, JobProgress>
	jobs: BoardJobs
	/** The op catalogue's label, for jobs whose node is not on the canvas. */
	opLabel: (op: string) => string
}): QueueItem[] {
	const byJob = new Map(options.jobs.pending.map((node) => [node.jobId, node]))
	const items = options.entries
		.filter((entry) => !options.jobs.finished.has(entry.jobId))
		.map((entry) =>
			withLive(
				{
					jobId: entry.jobId,
					label: byJob.get(entry.jobId)?.label ?? options.opLabel(entry.op),
					prompt: entry.prompt,
					status: entry.status,
					position: entry.position,
					progress: entry.progress,
					etaMs: entry.etaMs,
					createdBy: entry.createdBy,
					canCancel: entry.canCancel,
				},
				options.live[entry.jobId],
			),
		)
	return sortQueue(items)
}
