/** A small padlock: committed picks are locked on the board. (Emoji fonts are not everywhere.) */
export function LockIcon({ size = 12 }: { size?: number }) {
	return (
		<svg
			className="lock-icon"
			viewBox="0 0 16 16"
			width={size}
			height={size}
			aria-hidden="true"
			focusable="false"
		>
			<path
				d="M5 7V5a3 3 0 0 1 6 0v2"
				fill="none"
				stroke="currentColor"
				strokeWidth="1.8"
				strokeLinecap="round"
			/>
			<rect x="3" y="7" width="10" height="7.5" rx="1.6" fill="currentColor" />
		</svg>
	)
}
