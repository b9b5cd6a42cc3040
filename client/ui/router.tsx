import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react'

/** Arbor's pages. A tiny pushState router: six routes don't need a dependency. */
export type Route =
	| { name: 'home' }
	| { name: 'board'; boardId: string }
	| { name: 'usage' }
	| { name: 'admin' }
	/** A share link's landing page: open to everyone, signed in or not. */
	| { name: 'share'; token: string }
	| { name: 'notFound' }

export const USAGE_PATH = '/me/usage'
export const ADMIN_PATH = '/admin'

export function parseRoute(pathname: string): Route {
	if (pathname === '/' || pathname === '') return { name: 'home' }
	const bare = pathname.replace(/\/+$/, '')
	if (bare === USAGE_PATH) return { name: 'usage' }
	if (bare === ADMIN_PATH) return { name: 'admin' }
	const board = /^\/boards\/([^/]+)\/?$/.exec(pathname)
	if (board) return { name: 'board', boardId: decodeURIComponent(board[1]) }
	const share = /^\/s\/([^/]+)\/?$/.exec(pathname)
	if (share) return { name: 'share', token: decodeURIComponent(share[1]) }
	return { name: 'notFound' }
}

export function boardPath(boardId: string): string {
	return `/boards/${encodeURIComponent(boardId)}`
}

const NAVIGATE_EVENT = 'arbor:navigate'

export function navigate(path: string, options: { replace?: boolean } = {}) {
	if (options.replace) history.replaceState(null, '', path)
	else history.pushState(null, '', path)
	window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

function subscribe(onChange: () => void) {
	window.addEventListener('popstate', onChange)
	window.addEventListener(NAVIGATE_EVENT, onChange)
	return () => {
		window.removeEventListener('popstate', onChange)
		window.removeEventListener(NAVIGATE_EVENT, onChange)
	}
}

export function usePathname(): string {
	return useSyncExternalStore(subscribe, () => location.pathname)
}

/** An anchor that navigates in place (and still opens in a new tab with a modifier). */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
	const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
		rest.onClick?.(event)
		if (event.defaultPrevented || event.button !== 0) return
		if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
		event.preventDefault()
		navigate(to)
	}
	return <a {...rest} href={to} onClick={onClick} />
}
