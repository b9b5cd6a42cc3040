import { type Editor, useValue } from 'tldraw'

/** A client's review with nothing published yet: say so, instead of an editor's "start here". */
export function ClientEmptyHint({ editor }: { editor: Editor }) {
	const isEmpty = useValue('review is empty', () => editor.getCurrentPageShapeIds().size === 0, [
		editor,
	])
	if (!isEmpty) return null
	return (
		<div className="empty-canvas" data-testid="client-empty">
			<div className="empty-canvas__mark" aria-hidden="true">
				<span />
				<span />
				<span />
				<span />
			</div>
			<h2>Nothing to review yet</h2>
			<p>The images shared with you will appear here, live, as soon as they are published.</p>
		</div>
	)
}
