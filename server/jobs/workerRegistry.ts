import type { EngineCapabilities, EngineHealth, EngineModel } from '../../shared/engines'
import type { WorkerHeartbeat, WorkerIdentity } from '../../shared/internalApi'
import type { BackendInfo } from '../../shared/jobPayload'

/** A worker that reported within this window counts as alive (it reports every 5 s). */
export const WORKER_SEEN_WINDOW_MS = 30_000

export interface SeenWorker extends WorkerIdentity {
	concurrency: number
	active: string[]
	backend: string
	/** Its engine's name, default model and version. */
	info: BackendInfo
	/** Absent from workers older than engine capabilities. */
	capabilities?: EngineCapabilities
	models?: EngineModel[]
	health?: EngineHealth
	lastSeenAt: number
}

/**
 * Queue-mode workers the server has heard from (heartbeats and job calls). Feeds `/api/health`
 * and the ETA estimate (how many jobs run at once across all machines). Kept in memory: after a
 * server restart it refills within one heartbeat.
 */
export class WorkerRegistry {
	private readonly workers = new Map<string, SeenWorker>()

	heartbeat(worker: WorkerIdentity, beat: WorkerHeartbeat, now = Date.now()): void {
		this.workers.set(worker.id, {
			...worker,
			concurrency: beat.concurrency,
			active: beat.active,
			backend: beat.backend.backend,
			info: beat.backend,
			capabilities: beat.capabilities,
			// A beat sent before discovery finished keeps the models already known.
			models: beat.models ?? this.workers.get(worker.id)?.models,
			health: beat.health ?? this.workers.get(worker.id)?.health,
			lastSeenAt: now,
		})
	}

	/** Any call from a worker proves it is alive, between heartbeats too. */
	touch(worker: WorkerIdentity, now = Date.now()): void {
		const known = this.workers.get(worker.id)
		if (known) known.lastSeenAt = now
	}

	/** Workers seen within the window, most recent first; older ones are forgotten. */
	recent(now = Date.now()): SeenWorker[] {
		for (const [id, w] of this.workers)
			if (now - w.lastSeenAt > WORKER_SEEN_WINDOW_MS * 10) this.workers.delete(id)
		return [...this.workers.values()]
			.filter((w) => now - w.lastSeenAt <= WORKER_SEEN_WINDOW_MS)
			.sort((a, b) => b.lastSeenAt - a.lastSeenAt)
	}

	/** Jobs that can run at once across live workers (at least 1, so ETAs stay finite). */
	slots(now = Date.now()): number {
		return Math.max(
			1,
			this.recent(now).reduce((sum, w) => sum + w.concurrency, 0),
		)
	}
}
