import type { Config } from '../config'

// Which pages may change things: Arbor's own origin (as the request reached it, or
// ARBOR_PUBLIC_URL) and ARBOR_ALLOWED_ORIGINS. Browsers send `Origin` on every write and socket
// upgrade, so a page on another port or subdomain (same-site, so SameSite=Lax still sends the
// cookie) is told apart here. Clients that are not browsers send no Origin and no Sec-Fetch-Site:
// they carry no ambient cookie a page could borrow, and pass.

export interface OriginCheck {
	origin: string | undefined
	secFetchSite: string | undefined
	/** The Host the request was sent to, and the protocol it came over (see `requestOrigin`). */
	host: string | undefined
	protocol: 'http' | 'https'
}

export interface OriginPolicy {
	allows(check: OriginCheck): boolean
}

function originOf(url: string): string | null {
	try {
		return new URL(url).origin
	} catch {
		return null
	}
}

export function createOriginPolicy(
	config: Pick<Config, 'ARBOR_PUBLIC_URL' | 'ARBOR_ALLOWED_ORIGINS'>,
): OriginPolicy {
	const allowed = new Set<string>()
	for (const raw of [config.ARBOR_PUBLIC_URL, ...(config.ARBOR_ALLOWED_ORIGINS ?? '').split(',')]) {
		const origin = raw?.trim() ? originOf(raw.trim()) : null
		if (origin) allowed.add(origin)
	}
	return {
		allows({ origin, secFetchSite, host, protocol }) {
			if (origin === undefined)
				return (
					secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none'
				)
			// `null`: a sandboxed frame, a file, a cross-origin redirect — never Arbor's own page.
			const parsed = originOf(origin)
			if (!parsed) return false
			if (allowed.has(parsed)) return true
			return host !== undefined && parsed === originOf(`${protocol}://${host}`)
		},
	}
}
