import { type FormEvent, useState } from 'react'
import { LoginSchema, SignupSchema, type User } from '../../shared/api'
import { api } from '../api/client'
import { describeError } from './describeError'

type Mode = 'signin' | 'signup'

interface AuthPageProps {
	onSignedIn(user: User): void
	/** Why the person landed here (a session that ended mid-work). */
	notice?: string
}

/** Sign in or create an account; one form, two modes. */
export function AuthPage({ onSignedIn, notice }: AuthPageProps) {
	const [mode, setMode] = useState<Mode>('signin')
	const [name, setName] = useState('')
	const [email, setEmail] = useState('')
	const [password, setPassword] = useState('')
	const [error, setError] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)

	const submit = async (event: FormEvent) => {
		event.preventDefault()
		setError(null)
		const parsed =
			mode === 'signup'
				? SignupSchema.safeParse({ email, password, name })
				: LoginSchema.safeParse({ email, password })
		if (!parsed.success) {
			const message = parsed.error.issues[0]?.message ?? 'Please check the form.'
			setError(message.charAt(0).toUpperCase() + message.slice(1))
			return
		}
		setBusy(true)
		try {
			const user =
				mode === 'signup'
					? await api.signup({ email, password, name })
					: await api.login({ email, password })
			onSignedIn(user)
		} catch (caught) {
			setError(describeError(caught, mode))
		} finally {
			setBusy(false)
		}
	}

	const switchMode = () => {
		setMode(mode === 'signin' ? 'signup' : 'signin')
		setError(null)
	}

	return (
		<main className="auth-page">
			<section className="auth-intro">
				<div className="wordmark">Arbor</div>
				<h1>Grow images together.</h1>
				<p>
					A shared canvas where every prompt branches into variations, and everyone on the board
					watches the tree grow live.
				</p>
			</section>
			<form className="auth-card" onSubmit={submit} noValidate data-testid="auth-form">
				<h2>{mode === 'signin' ? 'Sign in' : 'Create your account'}</h2>
				{notice && <p className="form-notice">{notice}</p>}
				{mode === 'signup' && (
					<label className="field">
						<span>Name</span>
						<input
							data-testid="auth-name"
							autoComplete="name"
							value={name}
							onChange={(e) => setName(e.target.value)}
							required
						/>
					</label>
				)}
				<label className="field">
					<span>Email</span>
					<input
						data-testid="auth-email"
						type="email"
						autoComplete="email"
						value={email}
						onChange={(e) => setEmail(e.target.value)}
						required
					/>
				</label>
				<label className="field">
					<span>Password</span>
					<input
						data-testid="auth-password"
						type="password"
						autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
						value={password}
						onChange={(e) => setPassword(e.target.value)}
						required
					/>
					{mode === 'signup' && <small>At least 8 characters.</small>}
				</label>
				{error && (
					<p className="form-error" role="alert" data-testid="auth-error">
						{error}
					</p>
				)}
				<button
					type="submit"
					className="arbor-button arbor-button--primary arbor-button--wide"
					data-testid="auth-submit"
					disabled={busy}
				>
					{busy ? 'One moment…' : mode === 'signin' ? 'Sign in' : 'Create account'}
				</button>
				<p className="auth-switch">
					{mode === 'signin' ? 'New to Arbor?' : 'Already have an account?'}{' '}
					<button
						type="button"
						className="link-button"
						data-testid="auth-toggle"
						onClick={switchMode}
					>
						{mode === 'signin' ? 'Create an account' : 'Sign in'}
					</button>
				</p>
			</form>
		</main>
	)
}
