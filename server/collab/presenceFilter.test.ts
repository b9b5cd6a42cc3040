import { describe, expect, it } from 'vitest'
import { admitPresence } from './presenceFilter'
import { TEST_USERS } from './testing'

const alice = TEST_USERS.alice.user
const bob = TEST_USERS.bob.user

describe('admitPresence', () => {
	it.each([
		['the empty initial state', {}, {}],
		[
			"the user's own presence",
			{ user: bob, cursor: { x: 1, y: 2 } },
			{ user: bob, cursor: { x: 1, y: 2 } },
		],
		['presence with extra fields', { user: bob, presence: { color: 'red' } }, { user: bob }],
		['a user with only an id', { user: { id: bob.id } }, { user: bob }],
		['a borrowed name', { user: { ...bob, name: 'Alice (owner)' } }, { user: bob }],
		['a cursor at 1e308', { user: bob, cursor: { x: 1e308, y: 0 } }, { user: bob, cursor: null }],
		['a cursor of nulls', { user: bob, cursor: { x: null, y: 0 } }, { user: bob, cursor: null }],
		['a zero zoom', { user: bob, camera: { x: 0, y: 0, z: 0 } }, { user: bob, camera: null }],
		['a negative screen', { user: bob, screen: { w: -1, h: 0 } }, { user: bob, screen: null }],
		['presenting', { user: bob, presenting: true }, { user: bob, presenting: true }],
		['not presenting', { user: bob, presenting: false }, { user: bob }],
	])('relays %s as the validated presence', (_what, state, relayed) => {
		expect(admitPresence(state, { user: bob, mayPresent: true })).toEqual({
			ok: true,
			state: relayed,
		})
	})

	it('drops presenting for someone who may not present', () => {
		expect(
			admitPresence({ user: bob, presenting: true }, { user: bob, mayPresent: false }),
		).toEqual({
			ok: true,
			state: { user: bob },
		})
	})

	it.each([
		['another user', { user: alice }, 'awareness state claims another user'],
		['no user', { cursor: null }, 'awareness state is not a valid presence'],
		['a user without an id', { user: { name: 'Bob' } }, 'awareness state is not a valid presence'],
		[
			'the server kind',
			{ user: bob, kind: 'arbor-server' },
			'awareness state uses the reserved key "kind"',
		],
	])('refuses %s', (_what, state, reason) => {
		expect(admitPresence(state, { user: bob, mayPresent: true })).toEqual({ ok: false, reason })
	})
})
