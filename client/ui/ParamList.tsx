const LABELS: Record<string, string> = {
	aspectRatio: 'Aspect',
	chaos: 'Chaos',
	stylize: 'Stylize',
	strength: 'Strength',
	seed: 'Seed',
	negativePrompt: 'Avoid',
}

function show(value: unknown): string {
	if (value === null || value === undefined) return '—'
	if (typeof value === 'object') return JSON.stringify(value)
	return String(value)
}

/** A job's parameters as quiet key/value chips, in a stable order. */
export function ParamList({ params }: { params: Record<string, unknown> }) {
	const entries = Object.entries(params).sort(([a], [b]) => a.localeCompare(b))
	if (entries.length === 0) return <span className="muted">Defaults</span>
	return (
		<ul className="param-list">
			{entries.map(([key, value]) => (
				<li key={key} data-param={key}>
					<span className="param-list__key">{LABELS[key] ?? key}</span>
					<span className="param-list__value">{show(value)}</span>
				</li>
			))}
		</ul>
	)
}
