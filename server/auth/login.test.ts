import { scryptSync } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../db/schema'
import type { RunningServer } from '../server'
import {
	api,
	buildServer,
	buildUser,
	TEST_PASSWORD,
	type TestUser,
	tempDir,
} from '../test/factories'

// Password guessing is slowed per account and per address, unknown emails cost what known ones
// do, and hashes meet OWASP's scrypt floor (older ones are upgraded at the next login).

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({
		dataDir: tmp.dir,
		env: { ARBOR_LOGIN_FAILURES_PER_ACCOUNT: '3', ARBOR_LOGIN_FAILURES_PER_ADDRESS: '6' },
	})
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

const login = (email: string, password: string) =>
	api(server).post('/api/auth/login', { email, password })

/** OWASP's equally strong scrypt settings (r = 8): the least N for each p. */
const OWASP_FLOOR: [p: number, n: number][] = [
	[1, 2 ** 17],
	[2, 2 ** 16],
	[3, 2 ** 15],
	[5, 2 ** 14],
	[10, 2 ** 13],
]

function meetsOwasp(hash: string): boolean {
	const [kind, n, r, p] = hash.split('$')
	if (kind !== 'scrypt' || Number(r) < 8) return false
	return OWASP_FLOOR.some(([floorP, floorN]) => Number(p) >= floorP && Number(n) >= floorN)
}

const storedHash = (user: TestUser) =>
	server.ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash

describe('POST /api/auth/login', () => {
	it('answers 429 with Retry-After once an account had too many wrong passwords', async () => {
		const user = await buildUser(server, 'Target')
		for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong password')).status).toBe(401)
		const throttled = await login(user.email, 'wrong password')
		expect(throttled.status).toBe(429)
		expect(throttled.body.error.code).toBe('rate_limited')
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
		// The right password waits too, or the throttle would only slow wrong guesses.
		expect((await login(user.email, TEST_PASSWORD)).status).toBe(429)
	})

	it('throttles one address across many accounts', async () => {
		// 3 failures are left on this address from the test above.
		const statuses: number[] = []
		for (let i = 0; i < 4; i++)
			statuses.push((await login(`nobody-${i}@example.com`, 'guess')).status)
		expect(statuses).toEqual([401, 401, 401, 429])
	})
})

describe('password hashing', () => {
	it('stores scrypt hashes at OWASP’s floor or above', async () => {
		const user = await buildUser(server, 'Fresh')
		expect(storedHash(user)).toMatch(/^scrypt\$/)
		expect(meetsOwasp(storedHash(user))).toBe(true)
		expect(meetsOwasp(['scrypt', 2 ** 15, 8, 1, 'salt', 'key'].join('$'))).toBe(false)
	})

	it('upgrades an older, weaker hash when its owner signs in', async () => {
		const other = await buildServer({ dataDir: tempDir().dir })
		try {
			const user = await buildUser(other, 'Old timer')
			const salt = Buffer.from('0123456789abcdef')
			const key = scryptSync(TEST_PASSWORD, salt, 32, {
				N: 2 ** 15,
				r: 8,
				p: 1,
				maxmem: 64 * 1024 * 1024,
			})
			const old = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join(
				'$',
			)
			other.ctx.db.update(users).set({ passwordHash: old }).where(eq(users.id, user.id)).run()
			const res = await api(other).post('/api/auth/login', {
				email: user.email,
				password: TEST_PASSWORD,
			})
			expect(res.status).toBe(200)
			const stored = other.ctx.db.select().from(users).where(eq(users.id, user.id)).get()!
			expect(stored.passwordHash).not.toBe(old)
			expect(meetsOwasp(stored.passwordHash)).toBe(true)
			const again = await api(other).post('/api/auth/login', {
				email: user.email,
				password: TEST_PASSWORD,
			})
			expect(again.status).toBe(200)
		} finally {
			await other.close()
		}
	})

	it('takes as long for an unknown email as for a known one', async () => {
		const other = await buildServer({ dataDir: tempDir().dir })
		try {
			const user = await buildUser(other, 'Known')
			const time = async (email: string) => {
				const started = performance.now()
				const res = await api(other).post('/api/auth/login', { email, password: 'not it at all' })
				expect(res.status).toBe(401)
				return performance.now() - started
			}
			const known: number[] = []
			const unknown: number[] = []
			for (let i = 0; i < 3; i++) {
				known.push(await time(user.email))
				unknown.push(await time(`ghost-${i}@example.com`))
			}
			// Without a dummy hash an unknown email answers ~60× faster (no scrypt at all): compare
			// the fastest of each, which load only ever makes slower.
			expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.3)
		} finally {
			await other.close()
		}
	})
})

describe('POST /api/auth/signup', () => {
	it('keeps its contract: 201, the user and a session cookie', async () => {
		const res = await fetch(`${server.url}/api/auth/signup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'new@example.com', password: TEST_PASSWORD, name: 'New' }),
		})
		expect(res.status).toBe(201)
		expect((await res.json()).user.email).toBe('new@example.com')
		expect(res.headers.get('set-cookie')).toMatch(/^arbor_session=/)
	})

	it('slows down an address that keeps trying taken emails', async () => {
		const user = await buildUser(server, 'Taken')
		const statuses: number[] = []
		for (let i = 0; i < 6; i++) {
			const res = await api(server).post('/api/auth/signup', {
				email: user.email,
				password: TEST_PASSWORD,
				name: 'Prober',
			})
			statuses.push(res.status)
			// The refusal does not say an account exists.
			if (res.status === 409) expect(res.body.error.message).not.toMatch(/already exists/i)
		}
		expect(statuses).toEqual([409, 409, 409, 409, 409, 429])
	})
})
