import { afterEach, expect, it } from 'vitest'
import type { RunningServer } from '../server'
import { jobsOf, submitMany } from '../test/exactlyOnce'
import { buildBoard, buildServer, buildUser, tempDir, waitFor } from '../test/factories'
import { testBackend } from '../test/testBackend'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

afterEach(async () => {
	await server.close()
	tmp.remove()
})

// A wake-up timer can fire a millisecond before Date.now() reaches a retry's runAfter; the queue
// used to find the job not yet due, schedule nothing, and leave it queued forever (3 in 40 here).
it('never leaves a retry waiting for a wake-up that does not come', async () => {
	tmp = tempDir()
	server = await buildServer({
		dataDir: tmp.dir,
		backend: testBackend({ failures: Number.POSITIVE_INFINITY }),
		env: {
			ARBOR_RETRY_BACKOFF_MS: '3',
			ARBOR_MAX_QUEUED_PER_USER: '100',
			ARBOR_RATE_LIMIT_PER_MINUTE: '1000',
		},
	})
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	for (let round = 0; round < 40; round++) {
		const [id] = await submitMany(server, user, board.id, 1)
		const [job] = await waitFor(
			`job ${round} through its three attempts`,
			async () => {
				const jobs = await jobsOf(server, user, board.id, [id])
				return jobs[0].status === 'failed' ? jobs : null
			},
			5000,
		)
		expect(job.attempts).toBe(3)
	}
}, 60_000)
