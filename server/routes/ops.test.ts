import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server'
import { api, buildServer, tempDir } from '../test/factories'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
})
afterAll(async () => {
	await server.close()
	tmp.remove()
})

const priceOf = async (query: string, op: string) => {
	const res = await api(server).get(`/api/ops${query}`)
	return (res.body.ops as { name: string; price: number }[]).find((o) => o.name === op)!.price
}

describe('GET /api/ops', () => {
	it('prices each op for the given params and parent size', async () => {
		expect(await priceOf('', 'imagine')).toBe(4)
		expect(await priceOf('', 'upscale')).toBe(8)
		expect(await priceOf('?factor=4', 'upscale')).toBe(32)
		expect(await priceOf('?factor=4&mode=creative', 'upscale')).toBe(48)
		expect(await priceOf('?direction=left', 'pan')).toBe(6)
		// A bigger parent costs more to upscale, by output pixels.
		expect(await priceOf('?factor=2&width=1024&height=1024', 'upscale')).toBe(32)
	})

	it('refuses a malformed size with a 400', async () => {
		const res = await api(server).get('/api/ops?width=-3')
		expect(res.status).toBe(400)
		expect(res.body.error.code).toBe('validation_failed')
	})
})
