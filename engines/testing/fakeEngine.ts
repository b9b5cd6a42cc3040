import type { EngineCapabilities, EngineModel, EngineRecord } from '../../shared/engines'
import type { BackendInfo } from '../../shared/jobPayload'
import { OP_NAMES } from '../../shared/ops/catalogue'
import { UPSCALE_FACTORS } from '../../shared/ops/params'

// Test helpers for hand-made engines (queue tests, benchmarks): what every Engine must declare,
// filled with permissive values so a fake only writes its `generate`.

/** Every op, any multiple of 8, seeds honoured, a grid per call. */
export const FAKE_CAPABILITIES: EngineCapabilities = {
	ops: [...OP_NAMES],
	size: { kind: 'multiple', multiple: 8, min: 8, max: 8192 },
	seeds: true,
	maxBatch: 4,
	previews: false,
	upscaleFactors: [...UPSCALE_FACTORS],
}

/** `capabilities` and `models()` for a fake named by `info`. */
export function fakeEngineParts(info: BackendInfo) {
	return {
		capabilities: FAKE_CAPABILITIES,
		models: async (): Promise<EngineModel[]> => [{ id: info.model, name: info.model, hash: null }],
	}
}

/** The record a fake reports for one image: its model and the seed, nothing invented. */
export function fakeRecord(info: BackendInfo, seed: number | null): EngineRecord {
	return {
		engine: info.backend,
		model: info.model,
		modelHash: null,
		sampler: null,
		scheduler: null,
		steps: null,
		cfg: null,
		denoise: null,
		seed,
		extras: {},
	}
}
