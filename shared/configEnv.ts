import type { z } from 'zod'

/** A setting a process cannot start with. Its message is one line naming each bad variable. */
export class ConfigError extends Error {
	constructor(message: string) {
		super(message)
		this.name = 'ConfigError'
	}
}

/**
 * Reads a process's settings from its environment through its one schema. Throws `ConfigError`,
 * e.g. `Invalid configuration: PORT: Too big: expected number to be <=65535`.
 */
export function parseEnv<T extends z.ZodType>(
	schema: T,
	env: Record<string, string | undefined>,
): z.output<T> {
	const parsed = schema.safeParse(env)
	if (parsed.success) return parsed.data
	const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
	throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`)
}
