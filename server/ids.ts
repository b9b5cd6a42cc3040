import { randomBytes } from 'node:crypto'
import { ID_PREFIXES } from '../shared/ids'

/** A new id like `job_V1StGXR8Z5jdHi6B`: 16 url-safe random characters after the prefix. */
export function newId(kind: keyof typeof ID_PREFIXES): string {
	return `${ID_PREFIXES[kind]}_${randomBytes(12).toString('base64url')}`
}

export const nowMs = () => Date.now()
export const toIso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString())
