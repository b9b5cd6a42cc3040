import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ConfirmDialog, commitSummary, confirmKeyAction } from './ConfirmDialog'

const noop = () => {}

describe('confirmKeyAction', () => {
	const ready = { canConfirm: true, busy: false }

	it('confirms on Enter and cancels on Escape', () => {
		expect(confirmKeyAction('Enter', ready)).toBe('confirm')
		expect(confirmKeyAction('Escape', ready)).toBe('cancel')
		expect(confirmKeyAction('a', ready)).toBeNull()
	})

	it('leaves Enter on a focused button to that button', () => {
		expect(confirmKeyAction('Enter', { ...ready, onButton: true })).toBeNull()
	})

	it('never confirms what cannot be paid, nor twice while busy', () => {
		expect(confirmKeyAction('Enter', { canConfirm: false, busy: false })).toBeNull()
		expect(confirmKeyAction('Enter', { canConfirm: true, busy: true })).toBeNull()
		expect(confirmKeyAction('Escape', { canConfirm: true, busy: true })).toBeNull()
	})
})

describe('commitSummary', () => {
	it('subtracts the price from the balance', () => {
		expect(commitSummary(32, 100)).toEqual({ price: 32, remaining: 68, affordable: true })
		expect(commitSummary(32, 32)).toEqual({ price: 32, remaining: 0, affordable: true })
		expect(commitSummary(32, 10)).toEqual({ price: 32, remaining: -22, affordable: false })
	})

	it('lets the server decide when the balance is unknown', () => {
		expect(commitSummary(8, null)).toEqual({ price: 8, remaining: null, affordable: true })
	})
})

describe('ConfirmDialog', () => {
	const render = (price: number, balance: number | null) =>
		renderToStaticMarkup(
			createElement(ConfirmDialog, {
				title: 'Upscale 4×',
				price,
				balance,
				confirmLabel: 'Upscale',
				onConfirm: noop,
				onCancel: noop,
			}),
		)

	it('shows the price and the balance left after it, as a modal alert dialog', () => {
		const html = render(32, 100)
		expect(html).toContain('role="alertdialog"')
		expect(html).toContain('aria-modal="true"')
		expect(html).toMatch(/data-testid="confirm-price"[^>]*>32 credits</)
		expect(html).toMatch(/data-testid="confirm-remaining"[^>]*>68 credits</)
		expect(html).not.toContain('confirm-short')
		expect(html).toMatch(/data-testid="confirm-ok"(?![^>]*disabled)/)
	})

	it('turns Confirm off and says why when the balance is short', () => {
		const html = render(32, 10)
		expect(html).toContain('data-testid="confirm-short"')
		expect(html).toMatch(/data-testid="confirm-remaining"[^>]*>short by 22 credits</)
		expect(html).toMatch(/data-testid="confirm-ok"[^>]*disabled/)
	})
})
