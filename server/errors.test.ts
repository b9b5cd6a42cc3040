import { Hono } from 'hono'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, renderError } from './errors'
import { validate } from './middleware/validate'

function appWithLog() {
	const lines: { level: number; msg: string; path?: string }[] = []
	const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) })
	const app = new Hono()
		.post('/checked', validate('json', z.object({ n: z.number() })), (c) =>
			c.json({ n: c.req.valid('json').n }),
		)
		// Our own code parsing our own data, wrongly: a bug, whatever the request was.
		.get('/bug', (c) => c.json(z.object({ n: z.number() }).parse({ n: 'one' })))
		.get('/refused', () => {
			throw new AppError('conflict', 'Already done.')
		})
		.onError((err, c) => renderError(err, c, logger))
	return { app, lines }
}

describe('renderError', () => {
	it('answers an internal ZodError with a logged 500, not a 400 blaming the client', async () => {
		const { app, lines } = appWithLog()
		const res = await app.request('/bug')
		expect(res.status).toBe(500)
		expect(await res.json()).toEqual({
			error: { code: 'internal', message: 'Something went wrong on our side.' },
		})
		expect(lines).toContainEqual(expect.objectContaining({ msg: 'unhandled error', path: '/bug' }))
	})

	it('keeps bad input a 400 naming the field, and an AppError its code, neither logged', async () => {
		const { app, lines } = appWithLog()
		const bad = await app.request('/checked', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ n: 'one' }),
		})
		expect(bad.status).toBe(400)
		const body = await bad.json()
		expect(body.error.code).toBe('validation_failed')
		expect(body.error.message).toMatch(/^n: /)
		const refused = await app.request('/refused')
		expect(refused.status).toBe(409)
		expect(await refused.json()).toEqual({ error: { code: 'conflict', message: 'Already done.' } })
		expect(lines).toEqual([])
	})
})
