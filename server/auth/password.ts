import { randomBytes, type ScryptOptions, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
	)

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB; we use N=2^15 (32 MiB), still well
// above the floor for interactive logins on a 2-core box, and record the cost in the hash.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keylen: 32 }

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16)
	const { N, r, p, keylen } = PARAMS
	const key = await scrypt(password, salt, keylen, { N, r, p, maxmem: 64 * 1024 * 1024 })
	return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [kind, n, r, p, saltB64, keyB64] = stored.split('$')
	if (kind !== 'scrypt') return false
	const expected = Buffer.from(keyB64, 'base64')
	const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: 64 * 1024 * 1024,
	})
	return timingSafeEqual(key, expected)
}
