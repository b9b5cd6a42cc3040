/** Small pieces every sharing tab uses: loading rows, an error with a retry, a switch. */

export function ListLoading() {
	return (
		<div className="share-loading" role="status" aria-busy="true" aria-label="Loading">
			<span />
			<span />
		</div>
	)
}

export function ListError({ message, onRetry }: { message: string; onRetry(): void }) {
	return (
		<div className="share-error" role="alert" data-testid="share-list-error">
			<span>{message}</span>
			<button type="button" className="link-button" onClick={onRetry}>
				Try again
			</button>
		</div>
	)
}

export function Switch(props: {
	label: string
	hint: string
	checked: boolean
	disabled?: boolean
	testId: string
	onChange(checked: boolean): void
}) {
	return (
		<label className="share-switch" data-testid={props.testId}>
			<span className="share-switch__text">
				<span className="share-switch__label">{props.label}</span>
				<span className="share-switch__hint">{props.hint}</span>
			</span>
			<input
				type="checkbox"
				role="switch"
				aria-checked={props.checked}
				checked={props.checked}
				disabled={props.disabled}
				onChange={(e) => props.onChange(e.target.checked)}
			/>
			<span className="share-switch__track" aria-hidden="true" />
		</label>
	)
}
