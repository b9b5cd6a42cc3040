import { type FormEvent, useEffect, useState } from 'react'
import { type PolicyRule, policyApi } from '../../api/policy'
import { describeError } from '../describeError'
import { useToasts } from '../Toasts'
import './admin.css'

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; rules: PolicyRule[] }
	| { status: 'error'; message: string }

const KIND_HINTS = {
	term: 'A word or phrase, matched whole and in any case',
	pattern: 'A regular expression (JavaScript syntax)',
} as const

/**
 * `/admin`'s prompt policy: the blocked terms and patterns every prompt is checked against before
 * it is queued (a match is refused with the rule's name), with a form to add one and a button to
 * remove each. Empty by default: nothing is blocked.
 */
export function PolicyEditor() {
	const toasts = useToasts()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [kind, setKind] = useState<PolicyRule['kind']>('term')
	const [value, setValue] = useState('')
	const [note, setNote] = useState('')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)

	useEffect(() => {
		const controller = new AbortController()
		policyApi
			.list(controller.signal)
			.then((rules) => setLoaded({ status: 'ready', rules }))
			.catch((failure: unknown) => {
				if (!controller.signal.aborted)
					setLoaded({ status: 'error', message: describeError(failure) })
			})
		return () => controller.abort()
	}, [])

	const add = async (event: FormEvent) => {
		event.preventDefault()
		if (!value.trim()) {
			setError(kind === 'term' ? 'Type the word or phrase to block.' : 'Type the pattern to block.')
			return
		}
		setBusy(true)
		setError(null)
		try {
			const rule = await policyApi.add({
				kind,
				value: value.trim(),
				note: note.trim() || undefined,
			})
			setLoaded((was) =>
				was.status === 'ready' ? { status: 'ready', rules: [...was.rules, rule] } : was,
			)
			setValue('')
			setNote('')
		} catch (failure) {
			setError(describeError(failure))
		} finally {
			setBusy(false)
		}
	}

	const remove = async (rule: PolicyRule) => {
		try {
			await policyApi.remove(rule.id)
			setLoaded((was) =>
				was.status === 'ready'
					? { status: 'ready', rules: was.rules.filter((r) => r.id !== rule.id) }
					: was,
			)
		} catch (failure) {
			toasts.show('error', describeError(failure))
		}
	}

	const rules = loaded.status === 'ready' ? loaded.rules : []
	return (
		<section className="policy-section" data-testid="policy-editor" aria-labelledby="policy-h">
			<div className="list-heading list-heading--section">
				<div>
					<h2 id="policy-h">Prompt policy</h2>
					<p className="muted">
						Every prompt (and remix, and avoid text) is checked against these rules before its job
						is queued; a match is refused with the rule’s name and nothing is charged.{' '}
						{rules.length === 0
							? 'Nothing is blocked yet.'
							: rules.length === 1
								? 'One rule.'
								: `${rules.length} rules.`}
					</p>
				</div>
			</div>
			<div className="card policy-card">
				{loaded.status === 'loading' && <div className="panel-skeleton" aria-busy="true" />}
				{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
				{rules.length > 0 && (
					<ul className="policy-rules" data-testid="policy-rules">
						{rules.map((rule) => (
							<li key={rule.id} className="policy-rule" data-testid="policy-rule">
								<span className="kind-pill" title={KIND_HINTS[rule.kind]}>
									{rule.kind === 'term' ? 'Term' : 'Pattern'}
								</span>
								<code className="policy-rule__value">{rule.value}</code>
								{rule.note && <span className="muted policy-rule__note">{rule.note}</span>}
								<button
									type="button"
									className="link-button policy-rule__remove"
									data-testid="policy-remove"
									aria-label={`Remove the rule ${rule.value}`}
									onClick={() => void remove(rule)}
								>
									Remove
								</button>
							</li>
						))}
					</ul>
				)}
				<form className="policy-form" onSubmit={add}>
					<select
						className="input"
						aria-label="Kind of rule"
						data-testid="policy-kind"
						value={kind}
						onChange={(e) => setKind(e.target.value as PolicyRule['kind'])}
					>
						<option value="term">Term</option>
						<option value="pattern">Pattern</option>
					</select>
					<input
						className="input policy-form__value"
						data-testid="policy-value"
						aria-label={kind === 'term' ? 'Word or phrase to block' : 'Pattern to block'}
						placeholder={kind === 'term' ? 'A word or phrase' : 'A regular expression'}
						maxLength={200}
						value={value}
						onChange={(e) => setValue(e.target.value)}
					/>
					<input
						className="input"
						data-testid="policy-note"
						aria-label="Note (optional)"
						placeholder="Why (optional)"
						maxLength={200}
						value={note}
						onChange={(e) => setNote(e.target.value)}
					/>
					<button
						type="submit"
						className="arbor-button arbor-button--small"
						data-testid="policy-add"
						disabled={busy}
					>
						{busy ? 'Adding…' : 'Block it'}
					</button>
				</form>
				{error && (
					<p className="field-error" role="alert" data-testid="policy-error">
						{error}
					</p>
				)}
			</div>
		</section>
	)
}
