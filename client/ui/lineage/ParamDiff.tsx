import { type DiffableStep, diffSteps } from './paramDiff'

/**
 * What changed from the parent to this image: the step, the prompt's words (when the reader may
 * see them), the settings.
 */
export function ParamDiff({ parent, child }: { parent: DiffableStep; child: DiffableStep }) {
	const diff = diffSteps(parent, child)
	return (
		<div className="param-diff" data-testid="inspector-diff">
			<div className="param-diff__step">
				<span className="param-diff__key">Step</span>
				<span className="param-diff__op" data-testid="diff-op">
					{diff.step}
				</span>
			</div>
			{diff.promptShown && (
				<div className="param-diff__prompt">
					<span className="param-diff__key">Prompt</span>
					{diff.prompt ? (
						<p data-testid="diff-prompt">
							{diff.prompt.map((part, i) => {
								const key = `${i}-${part.kind}`
								// Parts read as one sentence: a space between each.
								const gap = i > 0 ? ' ' : ''
								if (part.kind === 'added')
									return (
										<span key={key}>
											{gap}
											<ins data-testid="diff-added" title="Added">
												{part.text}
											</ins>
										</span>
									)
								if (part.kind === 'removed')
									return (
										<span key={key}>
											{gap}
											<del data-testid="diff-removed" title="Removed">
												{part.text}
											</del>
										</span>
									)
								return <span key={key}>{`${gap}${part.text}`}</span>
							})}
						</p>
					) : (
						<p className="muted" data-testid="diff-prompt-same">
							Unchanged
						</p>
					)}
				</div>
			)}
			{diff.rows.length > 0 && (
				<ul className="param-diff__rows">
					{diff.rows.map((row) => (
						<li key={row.key} data-testid="diff-row" data-key={row.key}>
							<span className="param-diff__key">{row.label}</span>
							<span className="param-diff__change">
								{row.from !== null && (
									<>
										<del>{row.from}</del>
										<span aria-hidden="true" className="param-diff__arrow">
											→
										</span>
									</>
								)}
								{row.to === null ? <span className="muted">none</span> : <ins>{row.to}</ins>}
								{row.from === null && <span className="param-diff__new">set by this step</span>}
							</span>
						</li>
					))}
				</ul>
			)}
		</div>
	)
}
