import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../../engines/builtin/builtinBackend'
import type { Engine } from '../../engines/types'
import { type Db, openDb } from '../db/client'
import { jobs, users } from '../db/schema'
import type { RunningServer } from '../server'
import { api, buildBoard, buildServer, buildUser, tempDir, waitForJob } from '../test/factories'
import { policyCheck, policyRuleAdd } from './policy'
import { normalizeForPolicy } from './policyText'

let tmp: ReturnType<typeof tempDir>

describe('policyCheck', () => {
	let db: Db
	beforeEach(() => {
		tmp = tempDir()
		db = openDb(join(tmp.dir, 'arbor.db'))
		const admin = db
			.insert(users)
			.values({ id: 'usr_admin0001', email: 'a@x.io', name: 'A', passwordHash: 'x', color: '#000' })
			.returning()
			.get()
		policyRuleAdd(db, { kind: 'term', value: 'gore' }, admin.id)
		policyRuleAdd(db, { kind: 'pattern', value: 'blood\\s*bath' }, admin.id)
		policyRuleAdd(db, { kind: 'term', value: 'bomb' }, admin.id)
		policyRuleAdd(db, { kind: 'term', value: 'kill' }, admin.id)
	})
	afterEach(() => {
		db.$client.close()
		tmp.remove()
	})

	it.each([
		['a zero-width space', 'a study in go\u200bre'],
		['a zero-width joiner', 'a study in g\u200dore'],
		['a soft hyphen', 'a study in go\u00adre'],
		['a word joiner', 'a study in gor\u2060e'],
		['fullwidth letters', 'a study in ｇｏｒｅ'],
		['Cyrillic homoglyphs', 'a study in g\u043er\u0435'],
		['Greek homoglyphs', 'a study in g\u03bfre'],
		['combining accents', 'a study in gó\u0308re\u0301'],
		['precomposed accents', 'a study in görè'],
		['mathematical letters', 'a study in 𝐠𝐨𝐫𝐞'],
		['capitals and homoglyphs', 'A STUDY IN G\u041eRE'],
	])('blocks a term disguised with %s', (_, prompt) => {
		expect(() => policyCheck(db, [prompt])).toThrow(/blocked term “gore”/)
	})

	// Look-alikes of Latin letters across scripts, as Unicode's confusables.txt lists them.
	it.each([
		['Cyrillic capitals', 'a study in \u050c\u041eR\u0415', 'gore'],
		['Cyrillic letters that read as small capitals', 'a \u0432\u043e\u043c\u0432 shelter', 'bomb'],
		['Greek capitals', 'a \u0392\u039f\u039c\u0392 shelter', 'bomb'],
		['Cherokee', 'a study in \u13c0\u13be\u13a1\u13ac', 'gore'],
		['Lisu', 'a study in \ua4d6\ua4f3\ua4e3\ua4f0', 'gore'],
		['Armenian', 'a study in \u0581\u0585re', 'gore'],
		['Coptic', 'a study in g\u2c9f\u2c85e', 'gore'],
		['Latin small capitals', 'a study in \u0262\u1d0f\u0280\u1d07', 'gore'],
		['circled letters', 'a study in \u24d6\u24de\u24e1\u24d4', 'gore'],
		['negative squared letters', 'a study in 🅶🅾🆁🅴', 'gore'],
		['regional indicator letters', 'a study in 🇬🇴🇷🇪', 'gore'],
		['Fraktur letters', 'a study in 𝔤𝔬𝔯𝔢', 'gore'],
		['modifier letters', 'a study in \u1d4d\u1d52\u02b3\u1d49', 'gore'],
		['a Devanagari zero for o', 'a study in g\u0966re', 'gore'],
		['a stroked o', 'a study in g\u00f8re', 'gore'],
		['a Cyrillic i and click letters for l', 'k\u0456\u01c0\u01c0 the lights', 'kill'],
		['several at once', 'a study in \u13fb\u200b\u00f2\u0301\u0280e', 'gore'],
	])('blocks a term written in look-alikes: %s', (_, prompt, term) => {
		expect(() => policyCheck(db, [prompt])).toThrow(new RegExp(`blocked term “${term}”`))
	})

	it('blocks a pattern disguised the same way', () => {
		expect(() => policyCheck(db, ['a b\u200blood b\u0430th'])).toThrow(/blocked pattern/)
	})

	it('still passes words that merely contain a term', () => {
		expect(policyCheck(db, ['a gorgeous shadow', 'go re']).outcome).toBe('passed')
	})
})

describe('normalizeForPolicy', () => {
	it('folds what looks alike to one spelling', () => {
		expect(normalizeForPolicy('Ｃаfé\u00ad\u200b Ⅻ')).toBe('cafe xii')
	})
})

describe('jobRetry', () => {
	let server: RunningServer
	afterEach(async () => {
		await server?.close()
		tmp?.remove()
	})

	it("re-checks the prompt against today's policy and records the check", async () => {
		const builtin = createBuiltinBackend()
		let fail = true
		const flaky: Engine = {
			info: builtin.info,
			capabilities: builtin.capabilities,
			models: builtin.models,
			async generate(request, options) {
				if (fail) throw new Error('GPU fell off the bus')
				return builtin.generate(request, options)
			},
		}
		tmp = tempDir()
		server = await buildServer({ dataDir: tmp.dir, backend: flaky })
		const admin = await buildUser(server, 'Admin')
		const board = await buildBoard(server, admin)
		const as = api(server, admin.cookie)
		const res = await as.post(`/api/boards/${board.id}/jobs`, {
			op: 'imagine',
			prompt: 'a study in gore',
		})
		expect(res.status).toBe(202)
		await waitForJob(server, admin, board.id, res.body.job.id, 'failed')
		const jobRow = () => server.ctx.db.select().from(jobs).where(eq(jobs.id, res.body.job.id)).get()
		const before = jobRow()?.checks

		const rule = await as.post('/api/admin/policy', { kind: 'term', value: 'gore' })
		expect(rule.status).toBe(201)
		const refused = await as.post(`/api/boards/${board.id}/jobs/${res.body.job.id}/retry`)
		expect(refused.status).toBe(422)
		expect(jobRow()?.status).toBe('failed')

		await as.raw('DELETE', `/api/admin/policy/${rule.body.rule.id}`)
		await as.post('/api/admin/policy', { kind: 'term', value: 'kettle' })
		fail = false
		const retried = await as.post(`/api/boards/${board.id}/jobs/${res.body.job.id}/retry`)
		expect(retried.status).toBe(202)
		await waitForJob(server, admin, board.id, res.body.job.id, 'done')
		const after = jobRow()?.checks
		expect(after).toHaveLength(1)
		expect(after?.[0]).toMatchObject({ name: 'prompt-policy', outcome: 'passed' })
		expect(after?.[0].version).not.toBe(before?.[0].version)
		const done = await as.get(`/api/boards/${board.id}/jobs/${res.body.job.id}`)
		const provenance = await as.get(`/api/boards/${board.id}/images/${done.body.job.images[0].id}`)
		expect(provenance.body.image.checks).toEqual(after)
	}, 60_000)
})
