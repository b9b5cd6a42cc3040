import { cpus, loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import { waitFor } from '../server/test/factories'
import { REDIS_URL } from '../server/test/queueMode'
import { QUEUE_TIMING } from '../shared/queue'
import { percentile, redisReachable } from './benchKit'
import {
	type CheckedJob,
	exactlyOnceProblems,
	type Fleet,
	JOB_DELAY_MS,
	LOST_AFTER_MS,
	startFleet,
	warmUp,
} from './faultFleet'

// DESIGN.md: "Worker killed mid-job: the job is re-run within 10 s; never lost, never shown
// twice." The contract suite holds only a loose liveness bound (a timing goal inside a test flakes
// on a loaded machine); the 10 s target is measured here, with real `npm run worker` processes.

const TRIALS = 8
/**
 * Kills land this long after the job started, spread evenly over the window: the victim's lock
 * renewal (every LOCK_MS / 2) and the survivor's stalled check run on their own timers, so one
 * fixed kill point would measure one phase of them only.
 */
const KILL_AFTER_MS = { from: 500, to: 4500 }
const TARGET_MS = 10_000

const seconds = (n: number) => `${(n / 1000).toFixed(2)} s`
/** Wall clock with sub-millisecond precision, comparable with the server's `Date.now()` stamps. */
const wallNow = () => performance.timeOrigin + performance.now()

/** One job without a fault: the baseline, lease → done on a collaborator's doc. */
async function normalRun(fleet: Fleet, n: number): Promise<{ jobId: string; runMs: number }> {
	const jobId = await fleet.submit(`harbour at dawn, study ${n}`)
	const done = fleet.done(jobId)
	const startedAt = await fleet.leased(jobId, 1)
	return { jobId, runMs: (await done) - startedAt }
}

interface KilledRun extends Required<CheckedJob> {
	killAfterMs: number
	/** From the kill to: the other worker's lease (attempt 2), its first progress, done. */
	releaseMs: number
	progressMs: number
	doneMs: number
}

/**
 * One job whose worker is SIGKILLed `killAfterMs` into the run while the second worker idles.
 * The caller starts a replacement worker afterwards, outside the timing.
 */
async function killedRun(fleet: Fleet, n: number, killAfterMs: number): Promise<KilledRun> {
	const jobId = await fleet.submit(`harbour at dusk, study ${n}`)
	const done = fleet.done(jobId)
	const startedAt = await fleet.leased(jobId, 1)
	const victim = await fleet.holder(jobId)
	const worker = fleet.workers.get(victim)
	if (!worker) throw new Error(`job ${jobId} is held by ${victim}, not one of ours`)
	await sleep(Math.max(0, startedAt + killAfterMs - Date.now()))
	const killedAt = wallNow()
	await worker.stop('SIGKILL')
	fleet.workers.delete(victim)
	const rerunAt = await fleet.leased(jobId, 2)
	// Recording attempt 2 reset the job's fraction to 0 (same call): any fraction now is the re-run's.
	const progressAt = await waitFor(
		'first progress of the re-run',
		() => fleet.server.ctx.progress.fractionOf(jobId) > 0 && wallNow(),
		LOST_AFTER_MS,
	)
	const doneAt = await done
	return {
		jobId,
		kill: { victim, rerunBy: await fleet.holder(jobId) },
		killAfterMs: killedAt - startedAt,
		releaseMs: rerunAt - killedAt,
		progressMs: progressAt - killedAt,
		doneMs: doneAt - killedAt,
	}
}

/** `npm run bench`, fault part: a worker SIGKILLed mid-job, against the 10 s re-run target. */
export async function benchFaults(): Promise<void> {
	console.log('\nfaults: a worker process SIGKILLed mid-job, a second worker idle')
	if (!(await redisReachable())) {
		console.log(`  skipped: no Redis at ${REDIS_URL} (set REDIS_URL, or start redis-server)`)
		return
	}
	const loadBefore = loadavg()[0]
	const fleet = await startFleet()
	const normal: { jobId: string; runMs: number }[] = []
	const killed: KilledRun[] = []
	const untimed: string[] = []
	let problems: string[]
	try {
		untimed.push(...(await warmUp(fleet)))
		// Normal and killed runs alternate, so a busy moment on a shared machine lands on both.
		for (let i = 0; i < TRIALS; i++) {
			normal.push(await normalRun(fleet, i))
			const span = KILL_AFTER_MS.to - KILL_AFTER_MS.from
			killed.push(await killedRun(fleet, i, KILL_AFTER_MS.from + (span * (i + 0.5)) / TRIALS))
			if (i === TRIALS - 1) break
			// Back to two workers, both past their first job, before the next pair.
			await fleet.spawn()
			untimed.push(...(await warmUp(fleet)))
		}
		const unkilled = [...untimed, ...normal.map((n) => n.jobId)]
		problems = await exactlyOnceProblems(fleet, [
			...unkilled.map((jobId) => ({ jobId })),
			...killed,
		])
	} finally {
		await fleet.close()
	}
	const checked = untimed.length + normal.length + killed.length
	report({ normal: normal.map((n) => n.runMs), killed, checked, problems, loadBefore })
}

function report(options: {
	normal: number[]
	killed: KilledRun[]
	checked: number
	problems: string[]
	loadBefore: number
}) {
	const { normal, killed, problems } = options
	const stat = (values: number[]) =>
		`p50 ${seconds(percentile(values, 50))}  max ${seconds(Math.max(...values))}`
	const ofBudget = (values: number[]) =>
		`${(Math.max(...values) / TARGET_MS).toFixed(2)}× of the 10 s budget`
	const release = killed.map((k) => k.releaseMs)
	const done = killed.map((k) => k.doneMs)
	// Each killed job against the normal run measured just before it, under the same load.
	const overhead = killed.map((k, i) => k.doneMs - normal[i])
	const worst = Math.max(...release, ...overhead)
	const verdict = problems.length === 0 && worst <= TARGET_MS ? 'meets target' : 'MISSES target'
	console.log(
		[
			`  ${killed.length} kills ${KILL_AFTER_MS.from}–${KILL_AFTER_MS.to} ms into a ${JOB_DELAY_MS} ms (+ painting) job on real worker processes; load avg ${options.loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
			`  target (DESIGN.md): re-run within 10 s; never lost, never shown twice (QUEUE_TIMING: lock ${QUEUE_TIMING.LOCK_MS} ms, stalled check every ${QUEUE_TIMING.STALLED_INTERVAL_MS} ms)`,
			`  normal run, lease → done on a 2nd client   ${stat(normal)}  (baseline, same run)`,
			`  killed → re-leased by the other worker      ${stat(release)}  ${ofBudget(release)}`,
			`  killed → first progress of the re-run       ${stat(killed.map((k) => k.progressMs))}`,
			`  killed → done on a 2nd client               ${stat(done)}  ${(percentile(done, 50) / percentile(normal, 50)).toFixed(2)}× the normal run`,
			`  re-run overhead (killed→done − normal run)  ${stat(overhead)}  ${ofBudget(overhead)}`,
			`  each kill, ms into the job → re-leased: ${killed.map((k) => `${Math.round(k.killAfterMs)} → ${seconds(k.releaseMs)}`).join(', ')}`,
			problems.length === 0
				? `  exactly once: ${options.checked}/${options.checked} jobs done (warm-ups included), one set of 4 images and one node each; ${killed.length}/${killed.length} killed jobs re-run once, by the surviving worker`
				: `  exactly once FAILS: ${problems.join('; ')}`,
			`  ${verdict}: worst re-run ${seconds(worst)} vs 10 s`,
		].join('\n'),
	)
}

// Also runnable alone: `npx tsx bench/faults.ts` (argv[1] is unset under `tsx -e`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchFaults()
	process.exit(0)
}
