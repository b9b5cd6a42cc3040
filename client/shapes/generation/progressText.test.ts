import { describe, expect, it } from 'vitest'
import { formatEta, ordinal, progressView, statusPill } from './progressText'

describe('formatEta', () => {
	it.each([
		[null, null],
		[undefined, null],
		[-5, null],
		[200, '~1 s'],
		[4_400, '~4 s'],
		[59_000, '~59 s'],
		[125_000, '~2 min'],
	])('formats %s ms as %s', (ms, text) => {
		expect(formatEta(ms)).toBe(text)
	})
})

describe('ordinal', () => {
	it.each([
		[1, '1st'],
		[2, '2nd'],
		[3, '3rd'],
		[4, '4th'],
		[11, '11th'],
		[12, '12th'],
		[13, '13th'],
		[21, '21st'],
		[102, '102nd'],
	])('%i → %s', (n, text) => expect(ordinal(n)).toBe(text))
})

describe('progressView', () => {
	it('shows the queue position while queued', () => {
		const view = progressView('queued', { status: 'queued', progress: 0, position: 2, etaMs: 9000 })
		expect(view).toEqual({
			headline: 'Queued · 2nd in line',
			fraction: null,
			detail: 'ready in ~9 s',
		})
	})

	it('shows percent and time left while running', () => {
		const view = progressView('running', {
			status: 'running',
			progress: 0.42,
			position: null,
			etaMs: 3000,
		})
		expect(view).toEqual({ headline: 'Generating 42%', fraction: 0.42, detail: '~3 s left' })
	})

	it('trusts the doc’s status when awareness has not caught up', () => {
		expect(progressView('running', undefined)).toEqual({
			headline: 'Starting…',
			fraction: null,
			detail: null,
		})
		expect(progressView('queued', undefined).headline).toBe('Queued')
	})
})

describe('statusPill', () => {
	it('shows the team a grid’s state and a final’s only while it runs', () => {
		const team = { isClient: false }
		expect(statusPill({ kind: 'grid', status: 'done' }, team)).toBe('Done')
		expect(statusPill({ kind: 'final', status: 'running' }, team)).toBe('Generating')
		expect(statusPill({ kind: 'final', status: 'done' }, team)).toBeNull()
	})

	it('shows a client no job states', () => {
		expect(statusPill({ kind: 'grid', status: 'done' }, { isClient: true })).toBeNull()
	})
})
