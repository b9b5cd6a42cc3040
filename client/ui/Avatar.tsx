/** Initials on the person's colour; the same colour as their cursor on the canvas. */
export function Avatar(props: {
	name: string
	color: string
	size?: 'small' | 'medium'
	/** Tooltip and accessible label; defaults to the name. */
	label?: string
}) {
	const initials =
		props.name
			.split(/\s+/)
			.filter(Boolean)
			.slice(0, 2)
			.map((part) => part[0]?.toUpperCase())
			.join('') || '?'
	return (
		<span
			className={`avatar avatar--${props.size ?? 'medium'}`}
			style={{ background: props.color }}
			title={props.label ?? props.name}
			role="img"
			aria-label={props.label ?? props.name}
		>
			{initials}
		</span>
	)
}
