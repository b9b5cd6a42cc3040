import { DefaultHelperButtons, useEditor, useValue } from 'tldraw'

/**
 * tldraw's helper buttons (back to content, exit pen mode, stop following), stepping aside while
 * this person follows someone: the presenter banner carries our "Stop following", and tldraw's
 * would sit beside it saying the same. tldraw exports only the whole strip, not its buttons, so
 * the strip goes for as long as the following lasts — any pan or zoom of one's own ends it anyway.
 */
export function FollowAwareHelperButtons() {
	const editor = useEditor()
	const following = useValue(
		'following someone',
		() => editor.getInstanceState().followingUserId !== null,
		[editor],
	)
	return following ? null : <DefaultHelperButtons />
}
