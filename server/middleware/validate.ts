import { validator } from 'hono/validator'
import type { z } from 'zod'
import { ValidationFailed } from '../errors'

/**
 * Validates a request part with a shared zod schema; a failure is a 400 naming each bad field.
 * Output types flow on to `c.req.valid(target)` and the typed client.
 */
export function validate<T extends z.ZodType, Target extends 'json' | 'query' | 'param'>(
	target: Target,
	schema: T,
) {
	return validator(target, (value): z.output<T> => {
		const parsed = schema.safeParse(value)
		if (!parsed.success) throw ValidationFailed(parsed.error)
		return parsed.data
	})
}
