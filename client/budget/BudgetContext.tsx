import {
	createContext,
	type ReactNode,
	useCallback,
	useContext,
	useEffect,
	useMemo,
	useState,
	useSyncExternalStore,
} from 'react'
import type { Credits, User } from '../../shared/api'
import type { OpInfo } from '../api/budgetBodies'
import { api } from '../api/client'
import { describeError } from '../ui/describeError'
import { type LiveSnapshot, LiveValue } from './LiveValue'

/** The signed-in person's money: their credits, and the op catalogue's prices. */
export interface Budget {
	user: User
	credits: LiveValue<Credits>
	ops: LiveValue<OpInfo[]>
}

const BudgetContext = createContext<Budget | null>(null)

interface BudgetProviderProps {
	user: User
	/** Credits that came with `GET /api/me`, so the meter shows at once. */
	initialCredits?: Credits
	children: ReactNode
}

/**
 * Holds credits and prices for every page of a signed-in session. Credits refresh when something
 * says they changed (a request, a job's status, the tab coming back into view) — never on a timer.
 * Key it by the user's id: a different person gets fresh stores.
 */
export function BudgetProvider({ user, initialCredits, children }: BudgetProviderProps) {
	// One store per session: the caller keys this provider by the user's id.
	const [stores] = useState(() => ({
		credits: new LiveValue({
			load: () => api.me().then((me) => requireCredits(me.credits)),
			initial: initialCredits,
			describeError,
		}),
		ops: new LiveValue({ load: api.listOps, describeError }),
	}))
	const budget = useMemo<Budget>(() => ({ user, ...stores }), [user, stores])

	useEffect(() => {
		void stores.ops.refresh()
		if (!stores.credits.getSnapshot().value) void stores.credits.refresh()
	}, [stores])

	// Another tab, or an admin, may have spent or granted credits meanwhile.
	useEffect(() => {
		const onVisible = () => {
			if (document.visibilityState === 'visible') stores.credits.refreshSoon()
		}
		document.addEventListener('visibilitychange', onVisible)
		window.addEventListener('focus', onVisible)
		return () => {
			document.removeEventListener('visibilitychange', onVisible)
			window.removeEventListener('focus', onVisible)
		}
	}, [stores])

	return <BudgetContext.Provider value={budget}>{children}</BudgetContext.Provider>
}

function requireCredits(credits: Credits | undefined): Credits {
	if (!credits) throw new Error('This server does not report credits.')
	return credits
}

export function useBudget(): Budget | null {
	return useContext(BudgetContext)
}

const EMPTY: LiveSnapshot<never> = { value: null, error: null, loading: false }
const noSubscribe = () => () => {}
const emptySnapshot = () => EMPTY

function useLive<T>(live: LiveValue<T> | undefined): LiveSnapshot<T> {
	return useSyncExternalStore(live?.subscribe ?? noSubscribe, live?.getSnapshot ?? emptySnapshot)
}

/** The credits snapshot (value, error, loading); empty outside a signed-in session. */
export function useCreditsSnapshot(): LiveSnapshot<Credits> {
	return useLive(useBudget()?.credits)
}

export function useCredits(): Credits | null {
	return useCreditsSnapshot().value
}

/** An op's price from `GET /api/ops`; null until the catalogue has loaded (or lacks the op). */
export function useOpPrice(name: string): number | null {
	const ops = useLive(useBudget()?.ops).value
	return ops?.find((op) => op.name === name)?.price ?? null
}

/** Names ops the way the catalogue labels them ("zoom_out" → "Zoom out"). */
export function useOpLabel(): (name: string) => string {
	const ops = useLive(useBudget()?.ops).value
	return useCallback((name) => ops?.find((op) => op.name === name)?.label ?? name, [ops])
}
