import { type FormEvent, useState } from 'react'
import type { ShareLinkCreated, ShareLinkRole } from '../../../shared/sharing'
import { SHARE_LINK_ROLES } from '../../../shared/sharing'
import { sharingApi } from '../../api/sharing'
import {
	EXPIRY_LABELS,
	EXPIRY_PRESETS,
	type ExpiryPreset,
	expiryToIso,
	LINK_ROLE_HINTS,
	LINK_ROLE_LABELS,
} from './shareText'
import { describeSharingError } from './sharingErrors'

function todayInput(now: number): string {
	const d = new Date(now)
	const pad = (n: number) => String(n).padStart(2, '0')
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** New link: who it makes you (viewer, editor, client), how long it lasts, a note for the list. */
export function LinkCreateForm(props: {
	boardId: string
	onCreated(link: ShareLinkCreated): void
}) {
	const [role, setRole] = useState<ShareLinkRole>('viewer')
	const [expiry, setExpiry] = useState<ExpiryPreset>('7d')
	const [customDate, setCustomDate] = useState('')
	const [label, setLabel] = useState('')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)

	const submit = async (event: FormEvent) => {
		event.preventDefault()
		const until = expiryToIso(expiry, { now: Date.now(), customDate })
		if (!until.ok) {
			setError(until.message)
			return
		}
		setBusy(true)
		setError(null)
		try {
			const trimmed = label.trim()
			const link = await sharingApi.createLink(props.boardId, {
				role,
				expiresAt: until.expiresAt,
				...(trimmed ? { label: trimmed } : {}),
			})
			setLabel('')
			props.onCreated(link)
		} catch (failure) {
			setError(describeSharingError(failure, 'link'))
		} finally {
			setBusy(false)
		}
	}

	return (
		<form className="share-form share-form--link" onSubmit={submit} data-testid="link-create-form">
			<fieldset className="role-choice">
				<legend className="share-form__legend">Anyone with the link joins as</legend>
				{SHARE_LINK_ROLES.map((value) => (
					<label
						key={value}
						className={`role-choice__option${role === value ? ' is-on' : ''}`}
						data-testid={`link-role-${value}`}
					>
						<input
							type="radio"
							name="link-role"
							value={value}
							checked={role === value}
							onChange={() => setRole(value)}
						/>
						<span className="role-choice__name">{LINK_ROLE_LABELS[value]}</span>
						<span className="role-choice__hint">{LINK_ROLE_HINTS[value]}</span>
					</label>
				))}
			</fieldset>
			<div className="share-form__row">
				<label className="share-field">
					<span>Expires</span>
					<select
						className="share-select"
						data-testid="link-expiry"
						value={expiry}
						onChange={(e) => setExpiry(e.target.value as ExpiryPreset)}
					>
						{EXPIRY_PRESETS.map((preset) => (
							<option key={preset} value={preset}>
								{EXPIRY_LABELS[preset]}
							</option>
						))}
					</select>
				</label>
				{expiry === 'custom' && (
					<label className="share-field">
						<span>Last day</span>
						<input
							type="date"
							className="input"
							data-testid="link-expiry-date"
							min={todayInput(Date.now())}
							value={customDate}
							onChange={(e) => setCustomDate(e.target.value)}
						/>
					</label>
				)}
				<label className="share-field share-field--grow">
					<span>Label (optional)</span>
					<input
						className="input"
						data-testid="link-label"
						placeholder="Acme review, Friday"
						maxLength={80}
						value={label}
						onChange={(e) => setLabel(e.target.value)}
					/>
				</label>
			</div>
			{error && (
				<p className="field-error" role="alert" data-testid="link-create-error">
					{error}
				</p>
			)}
			<div className="share-form__actions">
				<button
					type="submit"
					className="arbor-button arbor-button--primary arbor-button--compact"
					data-testid="link-create"
					disabled={busy}
				>
					{busy ? 'Creating…' : 'Create link'}
				</button>
			</div>
		</form>
	)
}
