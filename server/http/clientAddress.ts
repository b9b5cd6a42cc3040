import type { Context } from 'hono'

// Who is on the other end of a request, and over which protocol. Behind a reverse proxy the
// socket's peer is the proxy: `X-Forwarded-For` / `X-Forwarded-Proto` are believed only when that
// peer is one of ARBOR_TRUST_PROXY's addresses, since anyone else could send them.

export interface RequestOrigin {
	/** The client's address ('unknown' when there is no socket, as in `app.request()`). */
	address: string
	protocol: 'http' | 'https'
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one peer. */
export const normalizeAddress = (address: string) => address.trim().replace(/^::ffff:/i, '')

/** Parses ARBOR_TRUST_PROXY: comma-separated proxy addresses; `loopback` stands for both. */
export function parseTrustedProxies(value: string | undefined): ReadonlySet<string> {
	const set = new Set<string>()
	for (const raw of (value ?? '').split(',')) {
		const entry = raw.trim()
		if (!entry) continue
		if (entry === 'loopback') {
			set.add('127.0.0.1')
			set.add('::1')
		} else set.add(normalizeAddress(entry))
	}
	return set
}

export function resolveRequestOrigin(options: {
	peer: string | undefined
	header(name: string): string | undefined
	/** The protocol of the socket itself. */
	protocol: 'http' | 'https'
	trusted: ReadonlySet<string>
}): RequestOrigin {
	const peer = options.peer ? normalizeAddress(options.peer) : undefined
	if (!peer || !options.trusted.has(peer))
		return { address: peer ?? 'unknown', protocol: options.protocol }
	// The rightmost hop our proxies did not add is the client; earlier entries are its own claims.
	const hops = (options.header('x-forwarded-for') ?? '').split(',').map(normalizeAddress)
	const client = hops.reverse().find((hop) => hop && !options.trusted.has(hop)) ?? peer
	const forwarded = options.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
	const protocol = forwarded === 'https' || forwarded === 'http' ? forwarded : options.protocol
	return { address: client, protocol }
}

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } }

/** The request's client and protocol (see `resolveRequestOrigin`). */
export function requestOrigin(c: Context, trusted: ReadonlySet<string>): RequestOrigin {
	const socket = (c.env as NodeBindings | undefined)?.incoming?.socket
	return resolveRequestOrigin({
		peer: socket?.remoteAddress,
		header: (name) => c.req.header(name),
		protocol: new URL(c.req.url).protocol === 'https:' ? 'https' : 'http',
		trusted,
	})
}
