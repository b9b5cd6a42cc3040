import {
	type EngineCapabilities,
	type EngineModel,
	type EngineRecord,
	samplerlessRecord,
} from '../../shared/engines'
import type { BackendInfo } from '../../shared/jobPayload'
import { BUILTIN_CAPABILITIES } from '../builtin/builtinBackend'

// Test helpers for hand-made engines (queue tests, benchmarks): what every Engine must declare,
// filled with permissive values so a fake only writes its `generate`.

/** Every op, any multiple of 8, seeds honoured, a grid per call. */
export const FAKE_CAPABILITIES: EngineCapabilities = { ...BUILTIN_CAPABILITIES, previews: false }

/** `capabilities` and `models()` for a fake named by `info`. */
export function fakeEngineParts(info: BackendInfo) {
	return {
		capabilities: FAKE_CAPABILITIES,
		models: async (): Promise<EngineModel[]> => [{ id: info.model, name: info.model, hash: null }],
	}
}

/** The record a fake reports for one image: its model and the seed, nothing invented. */
export function fakeRecord(info: BackendInfo, seed: number | null): EngineRecord {
	return samplerlessRecord(info.backend, info.model, seed)
}
