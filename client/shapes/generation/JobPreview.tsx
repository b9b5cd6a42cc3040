import { jobPreviewPath } from '../../../shared/collab'
import { GRID_LAYOUT } from '../../../shared/layout'

interface JobPreviewProps {
	boardId: string
	jobId: string
	/** The preview's number from the job's live progress (changes at most twice a second). */
	n: number
	/** The node's size: the preview covers its cells. */
	w: number
	h: number
}

/**
 * The engine's latest live preview, under the progress card of a running node. Fetched from the
 * server's memory when its number changes (never part of the doc); the finished grid replaces it.
 */
export function JobPreview({ boardId, jobId, n, w, h }: JobPreviewProps) {
	const { pad, header } = GRID_LAYOUT
	return (
		<img
			className="arbor-preview"
			data-testid="job-preview"
			data-preview={n}
			src={jobPreviewPath(boardId, jobId, n)}
			alt="Live preview"
			draggable={false}
			style={{ left: pad, top: header, width: w - 2 * pad, height: h - header - pad }}
		/>
	)
}
