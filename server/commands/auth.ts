import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, sql } from 'drizzle-orm'
import type { Signup } from '../../shared/api'
import { hashPassword, needsRehash, verifyPassword } from '../auth/password'
import type { AppContext, UserRow } from '../context'
import type { Db } from '../db/client'
import { preparedFor } from '../db/prepared'
import { sessions, users } from '../db/schema'
import { AppError, Conflict, TooManyAttempts } from '../errors'
import { newId, nowMs } from '../ids'
import { isFirstUser } from './credits'

export const SESSION_COOKIE = 'arbor_session'
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000

const COLORS = [
	'#e4572e',
	'#17bebb',
	'#ffc914',
	'#76b041',
	'#2e86ab',
	'#a23b72',
	'#f18f01',
	'#6c5b7b',
]

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** A stable cursor and avatar colour for a user id (the same for accounts and guests). */
export function userColor(userId: string): string {
	return COLORS[createHash('sha256').update(userId).digest()[0] % COLORS.length]
}

const EMAIL_TAKEN =
	'This email cannot be used to sign up. If it is yours, sign in (or reset it with your admin).'

/**
 * Opens an account. The password is hashed before the email is looked up, so a taken email
 * answers no faster than a free one; refusals of taken emails are throttled per address, so
 * sign-up is no fast way to learn who has an account.
 */
export async function userSignup(
	ctx: Pick<AppContext, 'db' | 'limits'>,
	input: Signup,
	address: string,
): Promise<UserRow> {
	const { db, limits } = ctx
	const wait = limits.signupConflict.retryAfterMs(address)
	if (wait > 0) throw TooManyAttempts(wait, 'Too many sign-ups were refused from your address.')
	const passwordHash = await hashPassword(input.password)
	const existing = db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()
	if (existing) {
		limits.signupConflict.fail(address)
		throw Conflict(EMAIL_TAKEN)
	}
	const id = newId('user')
	const color = userColor(id)
	try {
		return db.transaction((tx) =>
			tx
				.insert(users)
				// The first account administers the instance.
				.values({
					id,
					email: input.email,
					name: input.name,
					passwordHash,
					color,
					isAdmin: isFirstUser(tx),
				})
				.returning()
				.get(),
		)
	} catch (err) {
		// Two sign-ups with one email raced past the check above; the unique index decided.
		if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw Conflict(EMAIL_TAKEN)
		throw err
	}
}

/**
 * Signs in. Wrong passwords are throttled per account and per address (429 with `Retry-After`,
 * before any hashing); an unknown email is checked against a dummy hash so it takes as long as a
 * known one; a hash made with weaker settings than today's is replaced on success.
 */
export async function userLogin(
	ctx: Pick<AppContext, 'db' | 'limits'>,
	input: { email: string; password: string; address: string },
): Promise<UserRow> {
	const { db, limits } = ctx
	const account = input.email.toLowerCase()
	const wait = Math.max(
		limits.loginAccount.retryAfterMs(account),
		limits.loginAddress.retryAfterMs(input.address),
	)
	if (wait > 0) throw TooManyAttempts(wait, 'Too many wrong passwords.')
	const user = db.select().from(users).where(eq(users.email, account)).get()
	const ok = await verifyPassword(input.password, user?.passwordHash ?? null)
	if (!user || !ok) {
		limits.loginAccount.fail(account)
		limits.loginAddress.fail(input.address)
		// Same message either way: do not reveal which emails have accounts.
		throw new AppError('unauthenticated', 'Email or password is wrong.')
	}
	limits.loginAccount.succeed(account)
	if (!needsRehash(user.passwordHash)) return user
	const passwordHash = await hashPassword(input.password)
	return db.update(users).set({ passwordHash }).where(eq(users.id, user.id)).returning().get()
}

/**
 * Starts a session; returns the cookie token (only its hash is stored). `expiresAt` shortens it
 * (a guest's session ends with their share link); it never lasts longer than SESSION_TTL_MS.
 */
export function sessionCreate(
	db: Pick<Db, 'insert'>,
	userId: string,
	options: { expiresAt?: number | null } = {},
): string {
	const token = randomBytes(32).toString('base64url')
	const expiresAt = Math.min(
		nowMs() + SESSION_TTL_MS,
		options.expiresAt ?? Number.POSITIVE_INFINITY,
	)
	db.insert(sessions)
		.values({ tokenHash: hashToken(token), userId, expiresAt })
		.run()
	return token
}

// Read on every request: prepared once, see `preparedFor`.
const userBySession = preparedFor((db) =>
	db
		.select({ user: users })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(
			and(
				eq(sessions.tokenHash, sql.placeholder('tokenHash')),
				gt(sessions.expiresAt, sql.placeholder('now')),
			),
		)
		.prepare(),
)

export function sessionUser(db: Db, token: string | undefined): UserRow | null {
	if (!token || token.length > 100) return null
	const row = userBySession(db).get({ tokenHash: hashToken(token), now: nowMs() })
	return row?.user ?? null
}

export function sessionDelete(db: Db, token: string | undefined): void {
	if (token)
		db.delete(sessions)
			.where(eq(sessions.tokenHash, hashToken(token)))
			.run()
}
