import pino from 'pino'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { META_KEY, SCHEMA_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import { buildGenerationShape } from '../../shared/records'
import { createArborSchema } from '../../shared/shapes/schema'
import { upgradeBoardSchema } from './schemaUpgrade'

const logger = pino({ level: 'silent' })

function oldBoard() {
	const schema = createArborSchema().serialize() as { sequences: Record<string, number> }
	const key = Object.keys(schema.sequences).find((k) => k.endsWith('arbor-generation'))!
	const old = { ...schema, sequences: { ...schema.sequences, [key]: 0 } }
	const shape = buildGenerationShape({
		jobId: 'job_abcdefgh',
		x: 0,
		y: 0,
		index: 'a1' as never,
		op: 'imagine',
		label: 'Imagine',
		prompt: 'p',
		aspect: 1,
		status: 'done',
	})
	const { slots: _s, kind: _k, committed: _c, ...oldProps } = shape.props
	const doc = new Y.Doc()
	doc.getMap(META_KEY).set(SCHEMA_KEY, old)
	doc.getArray(TL_RECORDS_KEY).push([{ key: shape.id, val: { ...shape, props: oldProps } }])
	return { doc, shape }
}

describe('upgradeBoardSchema', () => {
	it('migrates records stored under an older schema and records the new one', () => {
		const { doc, shape } = oldBoard()
		upgradeBoardSchema(doc, logger, 'brd_test1234')
		const [entry] = doc.getArray<{ key: string; val: typeof shape }>(TL_RECORDS_KEY).toArray()
		expect(entry.val.props).toMatchObject({ slots: 4, kind: 'grid', committed: [] })
		expect(doc.getMap(META_KEY).get(SCHEMA_KEY)).toEqual(createArborSchema().serialize())
		createArborSchema().validateRecord(null as never, entry.val, 'initialize', null)
	})

	it('leaves a current board untouched', () => {
		const { doc } = oldBoard()
		upgradeBoardSchema(doc, logger, 'brd_test1234')
		const before = Y.encodeStateAsUpdate(doc)
		upgradeBoardSchema(doc, logger, 'brd_test1234')
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
	})
})
