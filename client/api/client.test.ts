import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, isApiError } from './client'

// The image reads answer by role: a client's image and lineage leave hidden fields out (prompt,
// seed, cost, worker, checks), so the client must parse them with the client shapes.

const member = {
	id: 'img_aaaaaaaaaaaa',
	boardId: 'brd_aaaaaaaaaaaa',
	jobId: 'job_aaaaaaaaaaaa',
	index: 0,
	op: 'upscale',
	opVersion: 1,
	prompt: 'a lighthouse at dusk',
	negativePrompt: null,
	seed: 7,
	params: { factor: 2, mode: 'subtle', seed: 7 },
	parentImageId: 'img_bbbbbbbbbbbb',
	backend: 'builtin',
	model: 'latent-painter',
	version: '1',
	width: 1024,
	height: 1024,
	sha256: 'f'.repeat(64),
	cost: 8,
	worker: { id: 'embedded', host: 'arbor-1' },
	checks: [],
	createdBy: { id: 'usr_aaaaaaaaaaaa', name: 'Ana' },
	createdAt: '2025-01-01T00:00:00.000Z',
}
const {
	prompt: _prompt,
	negativePrompt: _negative,
	seed: _seed,
	cost: _cost,
	worker: _worker,
	checks: _checks,
	...stripped
} = member
const clientImage = { ...stripped, params: { factor: 2, mode: 'subtle' } }
const clientStep = {
	imageId: member.id,
	jobId: member.jobId,
	index: 0,
	op: 'upscale',
	opVersion: 1,
	params: { factor: 2, mode: 'subtle' },
	width: 1024,
	height: 1024,
	createdAt: member.createdAt,
}

function answer(body: unknown) {
	vi.stubGlobal(
		'fetch',
		vi.fn(async () => new Response(JSON.stringify(body), { status: 200 })),
	)
}

afterEach(() => {
	vi.unstubAllGlobals()
})

describe('api.getImage', () => {
	it("reads a client's stripped image when the role is client", async () => {
		answer({ image: clientImage })
		const image = await api.getImage('brd_aaaaaaaaaaaa', member.id, { role: 'client' })
		expect(image).toMatchObject({ id: member.id, op: 'upscale' })
		expect(image.prompt).toBeUndefined()
		expect(image.seed).toBeUndefined()
		expect(image.cost).toBeUndefined()
	})

	it('still holds a member’s answer to the full schema', async () => {
		answer({ image: clientImage })
		const error = await api.getImage('brd_aaaaaaaaaaaa', member.id, { role: 'viewer' }).then(
			() => null,
			(e: unknown) => e,
		)
		expect(isApiError(error) && error.code).toBe('bad_response')
		answer({ image: member })
		expect((await api.getImage('brd_aaaaaaaaaaaa', member.id)).prompt).toBe(member.prompt)
	})
})

describe('api.getLineage', () => {
	it("reads a client's lineage steps without prompt or seed", async () => {
		answer({ lineage: [clientStep] })
		const lineage = await api.getLineage('brd_aaaaaaaaaaaa', member.id, { role: 'client' })
		expect(lineage).toHaveLength(1)
		expect(lineage[0].prompt).toBeUndefined()
		expect(lineage[0].seed).toBeUndefined()
	})

	it('refuses the same steps read as a member', async () => {
		answer({ lineage: [clientStep] })
		await expect(api.getLineage('brd_aaaaaaaaaaaa', member.id)).rejects.toMatchObject({
			code: 'bad_response',
		})
	})
})
