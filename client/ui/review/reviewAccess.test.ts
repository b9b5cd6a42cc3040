import { describe, expect, it } from 'vitest'
import type { AccessRole } from '../../../shared/api'
import { reviewAccess } from './reviewAccess'

const grid = { kind: 'grid', status: 'done' } as const
const final = { kind: 'final', status: 'done' } as const
const settings = (allowComments: boolean) => ({
	showPrompts: false,
	showSeeds: false,
	showCosts: false,
	allowComments,
})
const access = (role: AccessRole, node: typeof grid | typeof final, extra = {}) =>
	reviewAccess({ role, clientView: null, node, isCommitted: false, ...extra })

describe('reviewAccess', () => {
	it('lets owners and editors decide, comment and commit a candidate; only owners publish finals', () => {
		expect(access('editor', grid)).toEqual({
			decide: true,
			mark: true,
			comment: true,
			resolve: true,
			commit: true,
			publish: false,
		})
		expect(access('owner', final)).toMatchObject({ commit: false, publish: true })
		expect(access('editor', final).publish).toBe(false)
	})

	it('never commits the same pick twice', () => {
		expect(access('owner', grid, { isCommitted: true }).commit).toBe(false)
	})

	it('gives viewers nothing to press', () => {
		expect(Object.values(access('viewer', grid)).some(Boolean)).toBe(false)
	})

	it('lets a client approve, reject and comment on a shown pick only when the owner allows it', () => {
		const allowed = { clientView: settings(true) }
		expect(access('client', final, allowed)).toEqual({
			decide: true,
			mark: false,
			comment: true,
			resolve: false,
			commit: false,
			publish: false,
		})
		expect(access('client', grid, allowed).comment).toBe(false)
		expect(access('client', final, { clientView: settings(false) }).decide).toBe(false)
		expect(access('client', final).comment).toBe(false)
	})
})
