import { describe, expect, it } from 'vitest'
import type { JobProgress } from '../../shared/collab'
import type { QueueEntry } from '../../shared/queue'
import { GENERATION_SHAPE } from '../../shared/shapes/generationShape'
import { boardJobs, queueFromEntries, queueFromNodes } from './queueModel'

const node = (jobId: string, status: string, label = 'Imagine') => ({
	type: GENERATION_SHAPE,
	props: { jobId, label, prompt: `prompt of ${jobId}`, status },
})
const progress = (p: Partial<JobProgress>): JobProgress => ({
	status: 'queued',
	progress: 0,
	position: null,
	etaMs: null,
	...p,
})
const entry = (jobId: string, e: Partial<QueueEntry> = {}): QueueEntry => ({
	jobId,
	op: 'vary',
	prompt: 'p',
	status: 'queued',
	createdBy: { id: 'usr_ben', name: 'Ben' },
	createdAt: '2026-11-27T10:00:00Z',
	position: 1,
	progress: 0,
	etaMs: null,
	canCancel: false,
	...e,
})

describe('boardJobs', () => {
	it('splits generation nodes into pending and finished, ignoring other shapes', () => {
		const jobs = boardJobs([
			node('job_a', 'queued'),
			node('job_b', 'done'),
			node('job_c', 'running'),
			node('job_d', 'failed'),
			{ type: 'arrow', props: {} },
		])
		expect(jobs.pending.map((n) => n.jobId)).toEqual(['job_a', 'job_c'])
		expect([...jobs.finished]).toEqual(['job_b', 'job_d'])
	})
})

describe('queueFromNodes', () => {
	it('lists running jobs first, then queued ones in line order, with live progress', () => {
		const jobs = boardJobs([
			node('job_late', 'queued'),
			node('job_next', 'queued'),
			node('job_run', 'queued'),
		])
		const items = queueFromNodes({
			jobs,
			live: {
				job_late: progress({ position: 3 }),
				job_next: progress({ position: 2, etaMs: 4000 }),
				job_run: progress({ status: 'running', progress: 0.4, etaMs: 1500 }),
			},
			askers: new Map([['job_run', { id: 'usr_ada', name: 'Ada' }]]),
		})
		expect(items.map((i) => [i.jobId, i.status, i.position])).toEqual([
			['job_run', 'running', null],
			['job_next', 'queued', 2],
			['job_late', 'queued', 3],
		])
		expect(items[0]).toMatchObject({ progress: 0.4, createdBy: { name: 'Ada' }, canCancel: null })
		expect(items[1].createdBy).toBeNull()
	})

	it('does not let stale awareness revive a status the doc no longer has', () => {
		const jobs = boardJobs([node('job_a', 'running')])
		const items = queueFromNodes({
			jobs,
			live: { job_a: progress({ status: 'done' }) },
			askers: new Map(),
		})
		expect(items[0].status).toBe('running')
	})
})

describe('queueFromEntries', () => {
	it('takes who asked and cancel rights from the server, labels from the doc or catalogue', () => {
		const jobs = boardJobs([node('job_a', 'running', 'Vary (strong)'), node('job_gone', 'done')])
		const items = queueFromEntries({
			entries: [
				entry('job_b', { op: 'zoom_out', position: 1, canCancel: true }),
				entry('job_a', { status: 'running', position: null, progress: 0.2 }),
				entry('job_gone', { status: 'running' }),
			],
			live: { job_a: progress({ status: 'running', progress: 0.6 }) },
			jobs,
			opLabel: (op) => (op === 'zoom_out' ? 'Zoom out' : op),
		})
		expect(items.map((i) => i.jobId)).toEqual(['job_a', 'job_b'])
		expect(items[0]).toMatchObject({ label: 'Vary (strong)', progress: 0.6 })
		expect(items[1]).toMatchObject({
			label: 'Zoom out',
			canCancel: true,
			createdBy: { name: 'Ben' },
		})
	})
})
