import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, type Editor, useValue } from 'tldraw'
import { api } from '../api/client'
import { measureInsets, safeArea } from '../board/insets'
import { cueSpot, cueText, type NewResult, showNewest, watchNewResults } from '../board/newResults'
import { nodesInView } from './steer/placement'

interface NewResultCueProps {
	editor: Editor
	boardId: string
	userId: string
}

type Asker = { id: string; name: string }

/**
 * A small pill on the edge of the canvas, pointing toward results that landed out of view ("New
 * result from Bob — Show"; several collapse into "3 new results"). Show frames the newest at a
 * readable zoom, clear of the UI; looking at a result some other way clears it too.
 */
export function NewResultCue({ editor, boardId, userId }: NewResultCueProps) {
	const results = useMemo(() => atom<NewResult[]>('new results', []), [])
	useEffect(() => watchNewResults(editor, results), [editor, results])
	const list = useValue('new results', () => results.get(), [results])
	const newest = list.at(-1)
	const askers = useAskers(boardId, newest?.jobId)
	const ref = useRef<HTMLDivElement>(null)
	const [size, setSize] = useState({ w: 240, h: 36 })
	const place = useValue('new result cue position', () => {
		if (!newest) return null
		const box = editor.getShapePageBounds(newest.shapeId)
		if (!box) return null
		const screen = editor.getViewportScreenBounds()
		const target = editor.pageToViewport(box.center)
		const safe = safeArea(screen, measureInsets(editor))
		return cueSpot(safe, target, size, nodesInView(editor))
	}, [editor, newest, size])

	useEffect(() => {
		const element = ref.current
		if (!element) return
		const next = { w: element.offsetWidth, h: element.offsetHeight }
		if (next.w !== size.w || next.h !== size.h) setSize(next)
	})

	if (!newest || !place) return null
	const asker = askers.get(newest.jobId) ?? null
	const text = cueText(list.length, asker, userId)
	return (
		<div
			ref={ref}
			className="new-result-cue"
			data-testid="new-result-cue"
			data-count={list.length}
			data-job-ids={list.map((entry) => entry.jobId).join(' ')}
			role="status"
			style={{ left: place.left, top: place.top }}
		>
			<span
				className="new-result-cue__arrow"
				aria-hidden="true"
				style={{ transform: `rotate(${place.angle}rad)` }}
			>
				→
			</span>
			<span className="new-result-cue__text">{text}</span>
			<button
				type="button"
				className="new-result-cue__show"
				data-testid="new-result-show"
				onClick={() => showNewest(editor, results)}
			>
				Show
			</button>
			<button
				type="button"
				className="new-result-cue__dismiss"
				data-testid="new-result-dismiss"
				aria-label="Dismiss"
				onClick={() => results.set([])}
			>
				×
			</button>
		</div>
	)
}

/** Who asked for each job the cue names, looked up once per job. */
function useAskers(boardId: string, jobId: string | undefined): Map<string, Asker> {
	const [askers, setAskers] = useState(() => new Map<string, Asker>())
	const asked = useRef(new Set<string>())
	useEffect(() => {
		if (!jobId || asked.current.has(jobId)) return
		asked.current.add(jobId)
		api
			.getJob(boardId, jobId)
			.then((job) => setAskers((map) => new Map(map).set(jobId, job.createdBy)))
			.catch(() => {
				// A client link or an ended session may not read jobs: the cue says "New result".
			})
	}, [boardId, jobId])
	return askers
}
