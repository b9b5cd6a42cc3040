import { z } from 'zod'

/**
 * The engine settings, part of the server's and the worker's one config schema (each process
 * reads its environment once, through its schema; engines never read it themselves).
 */
/** Engine names `ARBOR_BACKEND` accepts. */
export const ENGINE_NAMES = ['builtin', 'comfyui', 'a1111', 'openai'] as const

export const EngineConfigSchema = z.object({
	ARBOR_BACKEND: z
		.enum(ENGINE_NAMES, {
			error: (issue) =>
				`"${String(issue.input)}" is not a known engine; use one of: ${ENGINE_NAMES.join(', ')}`,
		})
		.default('builtin'),
	/** `ARBOR_BACKEND=comfyui`: ComfyUI's address, e.g. http://127.0.0.1:8188. */
	ARBOR_COMFYUI_URL: z
		.string()
		.regex(/^https?:\/\/[^/]/, 'ARBOR_COMFYUI_URL is not an http(s):// URL')
		.optional(),
	/** The checkpoint jobs run on when they name none; else the first of /models/checkpoints. */
	ARBOR_COMFYUI_CHECKPOINT: z.string().min(1).optional(),
	/** Upscale model file for upscale; else the first of /models/upscale_models, else lanczos. */
	ARBOR_COMFYUI_UPSCALE_MODEL: z.string().min(1).optional(),
	/** Longest one engine call may take before it is cancelled and retried (10 min). */
	ARBOR_ENGINE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
	/**
	 * The model name the builtin engine announces (and records): two workers under different
	 * names rehearse routing by model without GPUs. Default `arbor-latent-painter`.
	 */
	ARBOR_BUILTIN_MODEL: z
		.string()
		.regex(
			/^[A-Za-z0-9._:@/-]{1,100}$/,
			'ARBOR_BUILTIN_MODEL may hold letters, digits and . _ : @ / -',
		)
		.optional(),
	/** Extra abortable time per builtin job, to rehearse slow GPUs (tests, demos). */
	ARBOR_BUILTIN_DELAY_MS: z.coerce
		.number({ error: 'ARBOR_BUILTIN_DELAY_MS must be a number of milliseconds' })
		.min(0, 'ARBOR_BUILTIN_DELAY_MS must not be negative')
		.default(0),
	/**
	 * Where the neural upscaler runs: `thread` (a worker thread, so the event loop keeps serving
	 * while it works) or `inline`. Checked at start so a typo fails there, not on the first commit.
	 */
	ARBOR_UPSCALE_RUNNER: z.enum(['thread', 'inline']).default('thread'),
	/** AUTOMATIC1111 / Forge (`ARBOR_BACKEND=a1111`): the web UI's URL (started with `--api`). */
	ARBOR_A1111_URL: z
		.string()
		.regex(/^https?:\/\/[^/]/, 'ARBOR_A1111_URL is not an http(s):// URL')
		.optional(),
	/** `user:pass`, as given to A1111's `--api-auth`; sent as HTTP Basic. */
	ARBOR_A1111_AUTH: z
		.string()
		.regex(/^[^:]+:.+$/, 'ARBOR_A1111_AUTH must be user:pass, as given to --api-auth')
		.optional(),
	/** OpenAI-style images (`ARBOR_BACKEND=openai`): the API's base URL (compatible servers too);
	 * default https://api.openai.com/v1. */
	ARBOR_OPENAI_BASE_URL: z
		.string()
		.regex(/^https?:\/\/[^/]/, 'ARBOR_OPENAI_BASE_URL is not an http(s):// URL')
		.optional(),
	/** The API key: from the environment only; never stored, logged or sent to browsers. */
	ARBOR_OPENAI_API_KEY: z.string().min(1, 'ARBOR_OPENAI_API_KEY is empty').optional(),
	/** The image model; default gpt-image-1. */
	ARBOR_OPENAI_MODEL: z.string().min(1).optional(),
})
export type EngineConfig = z.infer<typeof EngineConfigSchema>
