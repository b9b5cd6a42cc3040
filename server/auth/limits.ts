import type { Config } from '../config'
import { FailureThrottle } from './failureThrottle'
import { RateLimiter } from './rateLimiter'

const MINUTE = 60_000

/** The instance's abuse throttles, kept in memory (one server process serves the API). */
export interface Limits {
	/** Wrong passwords per account (lower-cased email). */
	loginAccount: FailureThrottle
	/** Wrong passwords per client address, across accounts. */
	loginAddress: FailureThrottle
	/** Sign-ups refused because the email is taken, per address: slows probing for accounts. */
	signupConflict: FailureThrottle
	/** Guests created through share links, per client address and per link. */
	guestJoinAddress: RateLimiter
	guestJoinLink: RateLimiter
	/** Uploads started per uploader (a guest's link counts as one uploader), and running now. */
	uploadRate: RateLimiter
	uploadsRunning: Map<string, number>
}

export function createLimits(config: Config): Limits {
	const login = { baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 15 * MINUTE }
	return {
		loginAccount: new FailureThrottle({
			...login,
			freeFailures: config.ARBOR_LOGIN_FAILURES_PER_ACCOUNT,
		}),
		loginAddress: new FailureThrottle({
			...login,
			freeFailures: config.ARBOR_LOGIN_FAILURES_PER_ADDRESS,
		}),
		signupConflict: new FailureThrottle({ ...login, freeFailures: 5 }),
		guestJoinAddress: new RateLimiter({
			limit: config.ARBOR_GUEST_JOINS_PER_ADDRESS,
			windowMs: 10 * MINUTE,
		}),
		guestJoinLink: new RateLimiter({
			limit: config.ARBOR_GUEST_JOINS_PER_LINK,
			windowMs: 10 * MINUTE,
		}),
		uploadRate: new RateLimiter({ limit: config.ARBOR_UPLOADS_PER_MINUTE, windowMs: MINUTE }),
		uploadsRunning: new Map(),
	}
}
