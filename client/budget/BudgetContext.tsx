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
import type { EngineDescription, OnlineModel } from '../../shared/engines'
import type { OpInfo } from '../api/budgetBodies'
import { api } from '../api/client'
import { describeError } from '../ui/describeError'
import { type LiveSnapshot, LiveValue } from './LiveValue'

/**
 * The signed-in person's money: their credits, the op catalogue's prices, and the models online
 * with what a prompt costs on each (and the engines behind them, whose capabilities decide which
 * ops are offered).
 */
export interface Budget {
	user: User
	credits: LiveValue<Credits>
	ops: LiveValue<OpInfo[]>
	models: LiveValue<OnlineModel[]>
	engines: LiveValue<EngineDescription[]>
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
		models: new LiveValue({ load: api.listModels, describeError }),
		engines: new LiveValue({ load: api.listEngines, describeError }),
	}))
	const budget = useMemo<Budget>(() => ({ user, ...stores }), [user, stores])

	useEffect(() => {
		void stores.ops.refresh()
		void stores.models.refresh()
		void stores.engines.refresh()
		if (!stores.credits.getSnapshot().value) void stores.credits.refresh()
	}, [stores])

	// Another tab, or an admin, may have spent or granted credits meanwhile.
	useEffect(() => {
		const onVisible = () => {
			if (document.visibilityState !== 'visible') return
			stores.credits.refreshSoon()
			// A worker may have come online (or gone) meanwhile.
			stores.models.refreshSoon()
			stores.engines.refreshSoon()
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

/** The models online now with their prompt prices; null until loaded. */
export function useModels(): OnlineModel[] | null {
	return useLive(useBudget()?.models).value
}

/**
 * Reads the models and engines online again when a board opens: workers come and go, and an
 * admin may have changed a price since the session began.
 */
export function useFreshModels(): void {
	const budget = useBudget()
	useEffect(() => {
		void budget?.models.refresh()
		void budget?.engines.refresh()
	}, [budget])
}

/** The engines online now with their capabilities; null until loaded. */
export function useEngines(): EngineDescription[] | null {
	return useLive(useBudget()?.engines).value
}
