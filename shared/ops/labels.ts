const ARROWS: Record<string, string> = { left: '←', right: '→', up: '↑', down: '↓' }

/**
 * How a job is named on its node and in lists: the op and what sets it apart.
 *
 * @example opLabel('pan', { direction: 'left' }) // 'Pan ←'
 */
export function opLabel(op: string, params: Readonly<Record<string, unknown>>): string {
	switch (op) {
		case 'imagine':
			return 'Imagine'
		case 'reroll':
			return 'Reroll'
		case 'vary':
			return `Vary (${params.strength ?? 'subtle'})`
		case 'remix':
			return 'Remix'
		case 'zoom_out':
			return `Zoom out ${params.factor ?? 2}×`
		case 'pan':
			return `Pan ${ARROWS[String(params.direction)] ?? ''}`.trim()
		case 'upscale':
			return `Upscale ${params.factor ?? 2}× · ${params.mode ?? 'subtle'}`
		case 'upload':
			return 'Upload'
		default:
			return op
	}
}
