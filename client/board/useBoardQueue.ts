import { useEffect, useMemo, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import type { QueueEntry } from '../../shared/queue'
import { api, isApiError } from '../api/client'
import { useOpLabel } from '../budget/BudgetContext'
import { describeError } from '../ui/describeError'
import type { BoardContextValue } from './BoardContext'
import { type QueueItem, queueFromEntries, queueFromNodes } from './queueModel'

export interface BoardQueueView {
	items: QueueItem[]
	/** `server`: the board's queue view; `board`: built here from the nodes (older servers). */
	source: 'server' | 'board'
	error: string | null
}

type Asker = { id: string; name: string }

/**
 * The board's pending and running jobs, in order. Reads `GET …/queue` when the server has it and
 * refetches when a job's status moves; live percent, position and ETA come from awareness in
 * between. Without that endpoint it lists the doc's pending nodes and looks up who asked per job.
 */
export function useBoardQueue(board: BoardContextValue, enabled: boolean): BoardQueueView {
	const jobs = useValue('board jobs', () => board.boardJobs.get(), [board])
	const live = useValue('live jobs', () => board.jobs.get(), [board])
	const opLabel = useOpLabel()
	const [entries, setEntries] = useState<QueueEntry[] | null>(null)
	const [error, setError] = useState<string | null>(null)
	const [askers, setAskers] = useState<ReadonlyMap<string, Asker>>(new Map())
	const hasEndpoint = useRef(true)

	useEffect(() => {
		if (!enabled || !hasEndpoint.current) return
		const controller = new AbortController()
		// `jobs` is the trigger: a status moved, so the server's order and set changed.
		void jobs
		api
			.boardQueue(board.boardId, controller.signal)
			.then((list) => {
				setEntries(list)
				setError(null)
			})
			.catch((err: unknown) => {
				if (controller.signal.aborted) return
				if (isApiError(err) && err.status === 404) {
					// No queue view on this server: build the list from the board itself.
					hasEndpoint.current = false
					setEntries(null)
					return
				}
				setError(describeError(err))
			})
		return () => controller.abort()
	}, [enabled, board.boardId, jobs])

	// Fallback: who asked for each pending job, looked up once per job.
	const looking = useRef(new Set<string>())
	useEffect(() => {
		if (!enabled || entries) return
		for (const node of jobs.pending) {
			if (askers.has(node.jobId) || looking.current.has(node.jobId)) continue
			looking.current.add(node.jobId)
			api
				.getJob(board.boardId, node.jobId)
				.then((job) => setAskers((map) => new Map(map).set(node.jobId, job.createdBy)))
				.catch(() => {
					// The row shows "someone" and the server still decides on cancel; try again later.
					looking.current.delete(node.jobId)
				})
		}
	}, [enabled, entries, jobs, askers, board.boardId])

	const items = useMemo(
		() =>
			entries
				? queueFromEntries({ entries, live, jobs, opLabel })
				: queueFromNodes({ jobs, live, askers }),
		[entries, live, jobs, opLabel, askers],
	)
	return { items, source: entries ? 'server' : 'board', error }
}
