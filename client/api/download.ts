import { ErrorBodySchema } from '../../shared/errors'
import { ApiError, isApiError } from './client'

/**
 * The file name in a `Content-Disposition` header (`filename*=UTF-8''…` first, then
 * `filename="…"`), or `fallback`. Path separators never survive: a name is a name.
 */
export function fileNameFrom(disposition: string | null, fallback: string): string {
	if (!disposition) return fallback
	const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
	let name: string | undefined
	if (extended) {
		try {
			name = decodeURIComponent(extended[1].trim())
		} catch {
			// A malformed escape: the plain filename below, or the fallback, names it instead.
			name = undefined
		}
	}
	name ??=
		/filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1] ??
		/filename\s*=\s*([^;\s]+)/i.exec(disposition)?.[1]
	const safe = name?.replace(/[/\\]/g, '_').trim()
	return safe || fallback
}

/**
 * What to say when a download is refused. Access that ended (a revoked link, a removed member, an
 * expired session) says so, instead of saving the server's JSON error as `file.json`.
 */
export function downloadRefusal(error: unknown): string {
	if (isApiError(error)) {
		if (error.status === 401 || error.code === 'unauthenticated')
			return 'Your access to this board ended: your session expired. Sign in again to download.'
		if (error.status === 403 || error.status === 404)
			return 'Your access to this board ended (the link was revoked or you were removed), so this download is no longer available. Ask the board’s owner for a new link.'
		if (error.code === 'network')
			return 'Arbor’s server can’t be reached, so nothing was downloaded. Try again.'
		return `The download failed: ${error.message || `the server answered ${error.status}`}.`
	}
	return 'The download failed. Try again.'
}

/**
 * Fetches a file and saves it under the server's name. The answer is checked before anything is
 * saved: a refusal throws an ApiError (see `downloadRefusal`) and no file appears.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
	let response: Response
	try {
		response = await fetch(url, { credentials: 'same-origin' })
	} catch {
		throw new ApiError({ status: 0, code: 'network', message: 'Could not reach the server.' })
	}
	if (!response.ok) {
		let json: unknown
		try {
			json = await response.json()
		} catch {
			// Not JSON (a proxy's page): the status says enough.
		}
		const body = ErrorBodySchema.safeParse(json)
		throw new ApiError({
			status: response.status,
			code: body.success ? body.data.error.code : `http_${response.status}`,
			message: body.success ? body.data.error.message : response.statusText,
		})
	}
	const name = fileNameFrom(response.headers.get('Content-Disposition'), fallbackName)
	const blob = await response.blob()
	const href = URL.createObjectURL(blob)
	const anchor = document.createElement('a')
	anchor.href = href
	anchor.download = name
	anchor.style.display = 'none'
	document.body.append(anchor)
	anchor.click()
	anchor.remove()
	// Give the browser the moment it needs to start the save before the URL goes.
	setTimeout(() => URL.revokeObjectURL(href), 10_000)
	return name
}
