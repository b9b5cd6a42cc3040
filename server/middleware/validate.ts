import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { ValidationFailed } from '../errors'

/**
 * `@hono/zod-validator` with our error shape: a request part that fails its shared zod schema is
 * a 400 `{ error: { code: 'validation_failed', message } }` naming each bad field. Output types
 * flow on to `c.req.valid(target)` and the typed client.
 *
 * @example
 * .post('/', validate('json', JobCreateSchema), (c) => jobCreate(…, c.req.valid('json')))
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
	target: Target,
	schema: T,
) {
	return zValidator(target, schema, (result) => {
		if (!result.success) throw ValidationFailed(result.error)
	})
}
