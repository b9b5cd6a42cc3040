import { describe, expect, it } from 'vitest'
import { boardChrome, clientReviewLine } from './boardChrome'

describe('boardChrome', () => {
	it('gives a client a clean canvas: no prompt bar, queue, finals, usage, credits or sharing', () => {
		expect(boardChrome('client', { isGuest: true })).toEqual({
			promptBar: false,
			queue: false,
			finals: false,
			usage: false,
			budget: false,
			share: null,
			backLink: false,
			pill: null,
		})
	})

	it('gives a viewer a read-only board with a "View only" pill and the member list', () => {
		const chrome = boardChrome('viewer', { isGuest: false })
		expect(chrome).toMatchObject({ promptBar: false, queue: true, finals: true, usage: false })
		expect(chrome.pill).toEqual({ label: 'View only', tone: 'viewer' })
		expect(chrome.share).toBe('view')
	})

	it('lets only the owner manage sharing', () => {
		expect(boardChrome('owner', { isGuest: false }).share).toBe('manage')
		expect(boardChrome('editor', { isGuest: false }).share).toBe('view')
	})

	it('keeps a guest editor generating but without board list, usage, credits or sharing', () => {
		expect(boardChrome('editor', { isGuest: true })).toMatchObject({
			promptBar: true,
			usage: false,
			budget: false,
			share: null,
			backLink: false,
		})
	})
})

describe('clientReviewLine', () => {
	it('names the owner and whether the client may comment', () => {
		const settings = { showPrompts: false, showSeeds: false, showCosts: false, allowComments: true }
		expect(clientReviewLine({ ownerName: 'Ana', clientView: settings })).toBe(
			'Shared by Ana · view + comment',
		)
		expect(clientReviewLine({ clientView: { ...settings, allowComments: false } })).toBe(
			'Shared with you · view only',
		)
	})
})
