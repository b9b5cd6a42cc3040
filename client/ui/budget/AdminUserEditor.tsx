import { type FormEvent, useState } from 'react'
import type { Credits } from '../../../shared/api'
import type { AdminUser } from '../../api/budgetBodies'
import { api } from '../../api/client'
import { creditsText } from '../../budget/limits'
import { describeError } from '../describeError'
import { useToasts } from '../Toasts'

/** A whole number of credits typed into a field, or why it isn't one. */
export function parseAmount(
	text: string,
	options: { allowNegative: boolean },
): { ok: true; value: number } | { ok: false; message: string } {
	const value = Number(text.trim())
	if (text.trim() === '' || !Number.isFinite(value)) {
		return { ok: false, message: 'Enter a number of credits.' }
	}
	if (!Number.isInteger(value)) return { ok: false, message: 'Use a whole number of credits.' }
	if (options.allowNegative && value === 0) return { ok: false, message: 'The amount can’t be 0.' }
	if (!options.allowNegative && value < 0) return { ok: false, message: 'It can’t be negative.' }
	return { ok: true, value }
}

interface AdminUserEditorProps {
	user: AdminUser
	defaultAllowance: number | null
	onCredits(credits: Credits): void
	onAllowance(): void
}

/** Grant (or take back) credits, and set a monthly allowance, for one user. */
export function AdminUserEditor({ user, defaultAllowance, ...props }: AdminUserEditorProps) {
	const toasts = useToasts()
	const [amount, setAmount] = useState('')
	const [note, setNote] = useState('')
	const [allowance, setAllowance] = useState(
		user.monthlyAllowance === null ? '' : String(user.monthlyAllowance),
	)
	const [grantError, setGrantError] = useState<string | null>(null)
	const [allowanceError, setAllowanceError] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)

	const grant = async (event: FormEvent) => {
		event.preventDefault()
		const parsed = parseAmount(amount, { allowNegative: true })
		if (!parsed.ok) return setGrantError(parsed.message)
		setBusy(true)
		try {
			const credits = await api.admin.grantCredits(user.id, { amount: parsed.value, note })
			props.onCredits(credits)
			setAmount('')
			setNote('')
			setGrantError(null)
			const moved = creditsText(Math.abs(parsed.value))
			toasts.show(
				'success',
				parsed.value > 0
					? `Granted ${user.name} ${moved}.`
					: `Took ${moved} back from ${user.name}.`,
			)
		} catch (error) {
			setGrantError(describeError(error))
		} finally {
			setBusy(false)
		}
	}

	const saveAllowance = async (value: number | null) => {
		setBusy(true)
		try {
			await api.admin.setAllowance(user.id, value)
			setAllowance(value === null ? '' : String(value))
			setAllowanceError(null)
			props.onAllowance()
			toasts.show(
				'success',
				`${user.name}’s allowance is now ${value === null ? 'the default' : creditsText(value)} a month.`,
			)
		} catch (error) {
			setAllowanceError(describeError(error))
		} finally {
			setBusy(false)
		}
	}

	const submitAllowance = (event: FormEvent) => {
		event.preventDefault()
		const parsed = parseAmount(allowance, { allowNegative: false })
		if (!parsed.ok) return setAllowanceError(parsed.message)
		void saveAllowance(parsed.value)
	}

	return (
		<div className="admin-editor" data-testid="admin-editor">
			<form className="admin-editor__form" onSubmit={grant} noValidate>
				<h4>Grant credits</h4>
				<p className="muted">Added to the balance now; a negative amount takes credits back.</p>
				<div className="admin-editor__row">
					<input
						aria-label={`Credits to grant ${user.name}`}
						data-testid="admin-grant-amount"
						inputMode="numeric"
						placeholder="Amount"
						className="input input--narrow"
						value={amount}
						onChange={(e) => {
							setAmount(e.target.value)
							setGrantError(null)
						}}
					/>
					<input
						aria-label="Note (optional)"
						data-testid="admin-grant-note"
						placeholder="Note, e.g. “client project”"
						className="input"
						maxLength={200}
						value={note}
						onChange={(e) => setNote(e.target.value)}
					/>
					<button
						type="submit"
						className="arbor-button arbor-button--small arbor-button--primary"
						data-testid="admin-grant-submit"
						disabled={busy}
					>
						Grant
					</button>
				</div>
				{grantError && (
					<p className="field-error" role="alert" data-testid="admin-grant-error">
						{grantError}
					</p>
				)}
			</form>
			<form className="admin-editor__form" onSubmit={submitAllowance} noValidate>
				<h4>Monthly allowance</h4>
				<p className="muted">What the balance is topped up to on the 1st of each month.</p>
				<div className="admin-editor__row">
					<input
						aria-label={`Monthly allowance for ${user.name}`}
						data-testid="admin-allowance-input"
						inputMode="numeric"
						className="input input--narrow"
						placeholder={defaultAllowance === null ? 'Default' : `${defaultAllowance} (default)`}
						value={allowance}
						onChange={(e) => {
							setAllowance(e.target.value)
							setAllowanceError(null)
						}}
					/>
					<button
						type="submit"
						className="arbor-button arbor-button--small"
						data-testid="admin-allowance-save"
						disabled={busy}
					>
						Save
					</button>
					{user.monthlyAllowance !== null && (
						<button
							type="button"
							className="link-button"
							data-testid="admin-allowance-reset"
							disabled={busy}
							onClick={() => void saveAllowance(null)}
						>
							Use the default
						</button>
					)}
				</div>
				{allowanceError && (
					<p className="field-error" role="alert" data-testid="admin-allowance-error">
						{allowanceError}
					</p>
				)}
			</form>
		</div>
	)
}
