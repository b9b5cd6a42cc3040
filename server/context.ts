import type { AccessRole } from '../shared/api'
import type { AssetStore } from './assets/assetStore'
import type { Limits } from './auth/limits'
import type { CanvasOutbox } from './canvas/canvasOutbox'
import type { Collab } from './collab/attachCollab'
import type { BoardDocs } from './collab/boardDocs'
import type { Config } from './config'
import type { Db } from './db/client'
import type { boards, users } from './db/schema'
import type { EngineDirectory } from './jobs/engineDirectory'
import type { JobQueue } from './jobs/jobQueue'
import type { PreviewStore } from './jobs/previews'
import type { ProgressPublisher } from './jobs/progress'
import type { WorkerRegistry } from './jobs/workerRegistry'
import type { Logger } from './logger'
import type { Metrics } from './metrics'

/** Everything a request handler or command may reach; built once in `startServer`. */
export interface AppContext {
	config: Config
	db: Db
	logger: Logger
	assets: AssetStore
	boards: BoardDocs
	/** Canvas writes owed for committed job changes: `canvasWriteOwed` in a transaction, then `drain`. */
	canvas: CanvasOutbox
	/** Open board sockets, to close when access is revoked. */
	sockets: Pick<Collab, 'closeConnections'>
	/** The client views of boards, rebuilt (and pushed live) when what clients may see changes. */
	projections: Collab['projections']
	queue: JobQueue
	progress: ProgressPublisher
	/** Live previews of running jobs, in memory only. */
	previews: PreviewStore
	/** Queue-mode workers heard from (empty when embedded). */
	workers: WorkerRegistry
	/** Engines that can run jobs now, with their capabilities and models. */
	engines: EngineDirectory
	metrics: Metrics
	/** Login, sign-up and join throttles. */
	limits: Limits
	/** Proxies whose forwarding headers are believed (ARBOR_TRUST_PROXY). */
	trustedProxies: ReadonlySet<string>
}

export type UserRow = typeof users.$inferSelect
export type BoardRow = typeof boards.$inferSelect

export type AppEnv = {
	Variables: {
		ctx: AppContext
		user: UserRow
		board: BoardRow
		role: AccessRole
	}
}
