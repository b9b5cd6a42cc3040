import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'

/** What a backend is asked to make: one candidate per seed. */
export interface GenerateRequest {
	op: 'imagine' | 'vary'
	prompt: string
	negativePrompt: string | null
	/** Op parameters as validated by the op catalogue (aspectRatio, chaos, stylize, strength…). */
	params: Record<string, unknown>
	seeds: number[]
	width: number
	height: number
	/** The parent image's PNG bytes, for ops that start from one (vary). */
	parentPng: Uint8Array | null
}

export interface GenerateOptions {
	/** Aborted when the job is cancelled or the worker shuts down: stop promptly and throw. */
	signal: AbortSignal
	/** Fraction done, 0–1; called often enough to show smooth progress. */
	onProgress: (fraction: number) => void
}

/** One image generator. The built-in one runs on the CPU; real GPU engines are adapters. */
export interface GeneratorBackend {
	readonly info: BackendInfo
	generate(request: GenerateRequest, options: GenerateOptions): Promise<GeneratedImage[]>
}
