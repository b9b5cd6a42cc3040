/** Longest slug of each part of a download's name, so the whole stays well under 255 bytes. */
const PART_MAX = { board: 40, prompt: 60 } as const

/**
 * A part of a file name any OS accepts: ASCII letters and digits joined by single dashes,
 * lower case ("Harbour campaign: v2!" → "harbour-campaign-v2"). Accents fold to their letter;
 * anything else (slashes, quotes, dots, control characters) becomes a separator.
 */
export function fileSlug(text: string, max = 60): string {
	const slug = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
	if (slug.length <= max) return slug
	// Cut at a word boundary when one is near, never mid-dash.
	const cut = slug.slice(0, max)
	const dash = cut.lastIndexOf('-')
	return (dash > max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '')
}

/**
 * What a downloaded image is called: its board, its prompt and the op that made it, and its
 * place in the grid — "harbour-campaign_a-lighthouse-at-dusk_vary_2.png". A prompt the reader may
 * not see is left out; an empty name falls back to the image id.
 *
 * @example imageFileName({ boardName: 'Harbour', prompt: 'a lighthouse', op: 'upscale', index: 0, slots: 1, imageId: 'img_1', ext: 'png' })
 * // 'harbour_a-lighthouse_upscale.png'
 */
export function imageFileName(options: {
	boardName: string
	prompt: string | null
	op: string
	/** 0-based place in its node. */
	index: number
	/** Images the node holds: the place is named only in a grid. */
	slots: number
	imageId: string
	ext: 'png' | 'webp'
}): string {
	const parts = [
		fileSlug(options.boardName, PART_MAX.board),
		options.prompt ? fileSlug(options.prompt, PART_MAX.prompt) : '',
		fileSlug(options.op, 20),
		options.slots > 1 ? String(options.index + 1) : '',
	].filter(Boolean)
	const base = parts.length > 1 ? parts.join('_') : fileSlug(options.imageId, 40) || 'image'
	return `${base}.${options.ext}`
}
