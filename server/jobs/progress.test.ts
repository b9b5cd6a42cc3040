import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JobProgress } from '../../shared/collab'
import type { BoardDocs } from '../collab/boardDocs'
import type { JobQueue } from './jobQueue'
import { ProgressPublisher } from './progress'

type Pending = ReturnType<JobQueue['pending']>

/** A publisher over a fake queue listing `pending`, recording what it publishes per job. */
function publisherWith(pending: Pending, ops: Record<string, string>) {
	const published = new Map<string, JobProgress | null>()
	const boards = {
		setJobProgress: (_boardId: string, jobId: string, progress: JobProgress | null) => {
			published.set(jobId, progress)
		},
	} as Pick<BoardDocs, 'setJobProgress'> as BoardDocs
	const queue = { pending: () => pending } as Pick<JobQueue, 'pending'> as JobQueue
	const publisher = new ProgressPublisher({
		boards,
		queue: () => queue,
		opOf: (jobId) => ops[jobId],
		concurrency: 1,
	})
	return { publisher, published }
}

describe('ProgressPublisher ETA', () => {
	beforeEach(() => {
		vi.useFakeTimers()
		vi.setSystemTime(new Date('2026-12-08T00:00:00Z'))
	})
	afterEach(() => vi.useRealTimers())

	it('gives an upscale a prior of its own before any has finished (not a grid’s few seconds)', () => {
		const { publisher, published } = publisherWith(
			[{ jobId: 'job_up', boardId: 'brd_1', status: 'running' }],
			{ job_up: 'upscale' },
		)
		publisher.started('job_up')
		publisher.publish()
		vi.advanceTimersByTime(200)
		const eta = published.get('job_up')?.etaMs ?? 0
		// The builtin ESRGAN upscale takes ~9–14 s here; a grid op's 3 s prior said "~3 s left".
		expect(eta).toBeGreaterThanOrEqual(8_000)
		expect(eta).toBeLessThanOrEqual(16_000)
		publisher.close()
	})

	it('without history, extrapolates a running job’s remaining time from its progress', () => {
		const { publisher, published } = publisherWith(
			[{ jobId: 'job_up', boardId: 'brd_1', status: 'running' }],
			{ job_up: 'upscale' },
		)
		publisher.started('job_up')
		// Half done after 4 s: about 4 s are left, whatever the prior said.
		vi.advanceTimersByTime(4_000)
		publisher.progress('job_up', 0.5)
		vi.advanceTimersByTime(200)
		const eta = published.get('job_up')?.etaMs ?? 0
		expect(eta).toBeGreaterThan(3_000)
		expect(eta).toBeLessThan(5_500)
		publisher.close()
	})

	it('learns an op’s duration once one finished', () => {
		const { publisher, published } = publisherWith(
			[{ jobId: 'job_b', boardId: 'brd_1', status: 'running' }],
			{ job_a: 'imagine', job_b: 'imagine' },
		)
		publisher.started('job_a')
		vi.advanceTimersByTime(6_000)
		publisher.finished('job_a', 'imagine', true)
		publisher.started('job_b')
		publisher.publish()
		vi.advanceTimersByTime(200)
		expect(published.get('job_b')?.etaMs).toBeGreaterThan(5_000)
		expect(published.get('job_b')?.etaMs).toBeLessThanOrEqual(6_000)
		publisher.close()
	})
})
