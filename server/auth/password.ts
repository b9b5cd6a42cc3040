import { randomBytes, type ScryptOptions, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { Semaphore } from './semaphore'

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
	)

// OWASP's password storage cheat sheet lists equally strong scrypt settings: N=2^17 r=8 p=1
// (128 MiB each), or N=2^14 r=8 p=5 (16 MiB). We take the second: the same work, an eighth of the
// memory (several logins at once stay cheap in RSS), and on these machines it runs 3× faster than
// the 128 MiB variant (cache). The cost is recorded in each hash, so raising it later rehashes
// on login.
const PARAMS = { N: 2 ** 14, r: 8, p: 5, keylen: 32 }
/** 128 · N · r bytes of scratch memory, with room to spare for older, larger hashes. */
const MAX_MEM = 256 * 1024 * 1024

/**
 * scrypt runs on libuv's threadpool (4 threads), which also reads image files. One hash at a time
 * leaves three threads to file serving however many logins arrive at once.
 */
const hashing = new Semaphore(1)

export function hashingLoad() {
	return hashing.load
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16)
	const { N, r, p, keylen } = PARAMS
	const key = await hashing.run(() => scrypt(password, salt, keylen, { N, r, p, maxmem: MAX_MEM }))
	return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** A hash of nothing anyone knows: checked when there is no account, so both take as long. */
let dummyHash: Promise<string> | null = null

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	const parsed = stored ? parseHash(stored) : null
	if (!parsed) {
		dummyHash ??= hashPassword(randomBytes(16).toString('base64'))
		await verifyPassword(password, await dummyHash)
		return false
	}
	const { N, r, p, salt, expected } = parsed
	const key = await hashing.run(() =>
		scrypt(password, salt, expected.length, { N, r, p, maxmem: MAX_MEM }),
	)
	return timingSafeEqual(key, expected)
}

/** Whether a stored hash was made with weaker settings than today's (rehash it on login). */
export function needsRehash(stored: string): boolean {
	const parsed = parseHash(stored)
	return (
		parsed !== null && (parsed.N !== PARAMS.N || parsed.r !== PARAMS.r || parsed.p !== PARAMS.p)
	)
}

function parseHash(stored: string) {
	const [kind, n, r, p, saltB64, keyB64] = stored.split('$')
	if (kind !== 'scrypt' || !saltB64 || !keyB64) return null
	const params = { N: Number(n), r: Number(r), p: Number(p) }
	if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return null
	return {
		...params,
		salt: Buffer.from(saltB64, 'base64'),
		expected: Buffer.from(keyB64, 'base64'),
	}
}
