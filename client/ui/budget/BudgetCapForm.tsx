import { type FormEvent, useState } from 'react'
import type { Board } from '../../../shared/api'
import { api } from '../../api/client'
import { describeError } from '../describeError'

/** A cap the owner typed, or why it isn't one. */
export function parseCap(text: string): { ok: true; cap: number } | { ok: false; message: string } {
	const trimmed = text.trim()
	if (trimmed === '') return { ok: false, message: 'Enter a number of credits, or remove the cap.' }
	const cap = Number(trimmed)
	if (!Number.isFinite(cap)) return { ok: false, message: 'The cap must be a number of credits.' }
	if (cap < 0) return { ok: false, message: 'The cap can’t be negative.' }
	if (cap > 10_000_000) return { ok: false, message: 'That cap is too large (10,000,000 at most).' }
	return { ok: true, cap }
}

/** Owner only: set the board's budget cap, or remove it. Errors show under the field. */
export function BudgetCapForm({ board, onSaved }: { board: Board; onSaved(board: Board): void }) {
	const current = board.budgetCap ?? null
	const [text, setText] = useState(current === null ? '' : String(current))
	const [error, setError] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)

	const save = async (cap: number | null) => {
		setBusy(true)
		setError(null)
		try {
			const next = await api.updateBoard(board.id, { budgetCap: cap })
			setText(cap === null ? '' : String(cap))
			onSaved(next)
		} catch (err) {
			setError(describeError(err, 'board'))
		} finally {
			setBusy(false)
		}
	}

	const submit = (event: FormEvent) => {
		event.preventDefault()
		const parsed = parseCap(text)
		if (!parsed.ok) {
			setError(parsed.message)
			return
		}
		void save(parsed.cap)
	}

	return (
		<form className="cap-form" onSubmit={submit} data-testid="board-cap-form" noValidate>
			<label className="cap-form__label" htmlFor="board-cap-input">
				Budget cap
			</label>
			<div className="cap-form__row">
				<div className="input-with-unit">
					<input
						id="board-cap-input"
						data-testid="board-cap-input"
						inputMode="decimal"
						placeholder="No cap"
						value={text}
						aria-invalid={error ? true : undefined}
						aria-describedby={error ? 'board-cap-error' : undefined}
						onChange={(e) => {
							setText(e.target.value)
							setError(null)
						}}
					/>
					<span className="input-with-unit__unit" aria-hidden="true">
						credits
					</span>
				</div>
				<button
					type="submit"
					className="arbor-button arbor-button--small arbor-button--primary"
					data-testid="board-cap-save"
					disabled={busy}
				>
					{current === null ? 'Set cap' : 'Save'}
				</button>
				{current !== null && (
					<button
						type="button"
						className="arbor-button arbor-button--small"
						data-testid="board-cap-remove"
						disabled={busy}
						onClick={() => void save(null)}
					>
						Remove
					</button>
				)}
			</div>
			{error ? (
				<p className="field-error" id="board-cap-error" role="alert" data-testid="board-cap-error">
					{error}
				</p>
			) : (
				<p className="cap-form__hint">All members together; jobs beyond it are refused.</p>
			)}
		</form>
	)
}
