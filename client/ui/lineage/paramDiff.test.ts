import { describe, expect, it } from 'vitest'
import { type DiffableStep, diffSteps, wordDiff } from './paramDiff'

const imagine: DiffableStep = {
	op: 'imagine',
	prompt: 'a lighthouse at dusk over a calm sea',
	negativePrompt: null,
	params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
	seed: 11,
	width: 512,
	height: 512,
}

describe('wordDiff', () => {
	it('marks the words removed and added, keeping the rest', () => {
		expect(wordDiff('a calm sea', 'a stormy sea')).toEqual([
			{ text: 'a', kind: 'same' },
			{ text: 'calm', kind: 'removed' },
			{ text: 'stormy', kind: 'added' },
			{ text: 'sea', kind: 'same' },
		])
	})

	it('groups runs of words and ignores case and spacing', () => {
		expect(wordDiff('A  lighthouse', 'a lighthouse in heavy rain')).toEqual([
			{ text: 'a lighthouse', kind: 'same' },
			{ text: 'in heavy rain', kind: 'added' },
		])
		expect(wordDiff('', 'fog')).toEqual([{ text: 'fog', kind: 'added' }])
	})
})

describe('diffSteps', () => {
	it('shows a remix’s edited words, its seed and its new avoid', () => {
		const remix: DiffableStep = {
			...imagine,
			op: 'remix',
			prompt: 'a lighthouse at dusk in a violent storm',
			negativePrompt: 'boats',
			params: { negativePrompt: 'boats' },
			seed: 42,
		}
		const diff = diffSteps(imagine, remix)
		expect(diff.step).toBe('Remix')
		expect(diff.prompt?.filter((p) => p.kind === 'added').map((p) => p.text)).toEqual([
			'in a violent storm',
		])
		expect(diff.prompt?.filter((p) => p.kind === 'removed').map((p) => p.text)).toEqual([
			'over a calm sea',
		])
		expect(diff.rows).toEqual([
			{ key: 'negativePrompt', label: 'Avoid', from: null, to: 'boats' },
			{ key: 'seed', label: 'Seed', from: '11', to: '42' },
		])
	})

	it('lists the child op’s settings as new, not the parent’s as removed', () => {
		const zoom: DiffableStep = {
			...imagine,
			op: 'zoom_out',
			params: { factor: 1.5 },
			seed: 12,
			width: 512,
			height: 512,
		}
		const diff = diffSteps(imagine, zoom)
		expect(diff.step).toBe('Zoom out 1.5×')
		expect(diff.prompt).toBeNull()
		expect(diff.rows.map((r) => r.key)).toEqual(['seed', 'factor'])
		expect(diff.rows[1]).toMatchObject({ label: 'Factor', from: null, to: '1.5' })
	})

	it('compares the same op’s settings both ways, and the size', () => {
		const vary = { ...imagine, op: 'vary', params: { strength: 'subtle' } }
		const varied = { ...vary, params: { strength: 'strong' }, width: 768, height: 512 }
		expect(diffSteps(vary, varied).rows).toEqual([
			{ key: 'strength', label: 'Strength', from: 'subtle', to: 'strong' },
			{ key: 'size', label: 'Size', from: '512 × 512', to: '768 × 512' },
		])
	})
})

describe('diffSteps for a client', () => {
	it('says nothing of a prompt or seed the owner hides, rather than calling them changed', () => {
		const { prompt: _p, seed: _s, ...hidden } = imagine
		const upscale: DiffableStep = {
			...hidden,
			op: 'upscale',
			params: { factor: 2, mode: 'subtle' },
		}
		const diff = diffSteps(hidden, upscale)
		expect(diff.promptShown).toBe(false)
		expect(diff.prompt).toBeNull()
		expect(diff.rows.map((r) => r.key)).toEqual(['factor', 'mode'])
		expect(JSON.stringify(diff)).not.toContain('undefined')
	})

	it('diffs the prompts when the owner shows them', () => {
		const shown = diffSteps(imagine, { ...imagine, prompt: 'a lighthouse at dawn' })
		expect(shown.promptShown).toBe(true)
		expect(shown.prompt?.some((p) => p.kind === 'added' && p.text === 'dawn')).toBe(true)
	})
})
