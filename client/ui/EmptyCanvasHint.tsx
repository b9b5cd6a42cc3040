import { type Editor, useValue } from 'tldraw'

/** On an empty board, a quiet line saying where to begin. */
export function EmptyCanvasHint({ editor, canEdit }: { editor: Editor; canEdit: boolean }) {
	const isEmpty = useValue('board is empty', () => editor.getCurrentPageShapeIds().size === 0, [
		editor,
	])
	if (!isEmpty) return null
	return (
		<div className="empty-canvas" data-testid="empty-canvas">
			<div className="empty-canvas__mark" aria-hidden="true">
				<span />
				<span />
				<span />
				<span />
			</div>
			<h2>{canEdit ? 'Start with a prompt' : 'Nothing here yet'}</h2>
			<p>
				{canEdit
					? 'Describe an image below, or drop one here. You’ll get four candidates; pick one and steer it to grow a branch.'
					: 'When an editor generates on this board, the images appear here live.'}
			</p>
		</div>
	)
}
