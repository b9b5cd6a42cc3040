import { describe, expect, it } from 'vitest'
import { PROMPT_MAX_LENGTH, PromptSchema } from '../../../shared/ops/params'
import { promptLimitView } from './promptLimit'

describe('promptLimitView', () => {
	it('says a prompt over the limit is too long, by how much, not that it is missing', () => {
		const view = promptLimitView('a'.repeat(2134))
		expect(view.tone).toBe('over')
		expect(view.counter).toBe('2,134 / 2,000')
		expect(view.refusal).toBe(
			'The prompt is 2,134 characters; the limit is 2,000. Shorten it by 134.',
		)
	})

	it('asks for a prompt when there is none', () => {
		expect(promptLimitView('   ').refusal).toBe('Write a prompt first.')
	})

	it('warns near the limit and lets the prompt go up to it, as the server does', () => {
		expect(promptLimitView('a'.repeat(1799)).tone).toBe('ok')
		expect(promptLimitView('a'.repeat(1800)).tone).toBe('near')
		const atLimit = 'a'.repeat(PROMPT_MAX_LENGTH)
		expect(promptLimitView(atLimit).refusal).toBeNull()
		expect(PromptSchema.safeParse(atLimit).success).toBe(true)
		expect(PromptSchema.safeParse(`${atLimit}a`).success).toBe(false)
	})

	it('counts as the server does: trimmed', () => {
		expect(promptLimitView('  a lighthouse  ').length).toBe(12)
	})
})
