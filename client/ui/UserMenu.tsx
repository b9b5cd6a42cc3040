import type { User } from '../../shared/api'
import { Avatar } from './Avatar'
import { ADMIN_PATH, Link, USAGE_PATH } from './router'
import { usePopover } from './usePopover'

/** The signed-in person: their usage, the admin page (for admins), signing out. */
export function UserMenu({ user, onSignOut }: { user: User; onSignOut(): void }) {
	const popover = usePopover<HTMLElement>()
	return (
		<div className="user-menu">
			<button
				type="button"
				className="user-menu__button"
				data-testid="user-menu"
				{...popover.triggerProps}
			>
				<Avatar name={user.name} color={user.color} size="small" />
				<span className="app-header__name" data-testid="current-user">
					{user.name}
				</span>
				<span className="user-menu__caret" aria-hidden="true" />
			</button>
			{popover.open && (
				<nav
					className="menu"
					aria-label="Account"
					data-testid="user-menu-panel"
					{...popover.panelProps}
				>
					<div className="menu__who">
						<strong>{user.name}</strong>
						<span className="muted">{user.email}</span>
					</div>
					<Link
						to={USAGE_PATH}
						className="menu__item"
						data-testid="menu-usage"
						onClick={() => popover.close()}
					>
						Your usage
					</Link>
					{user.isAdmin && (
						<Link
							to={ADMIN_PATH}
							className="menu__item"
							data-testid="menu-admin"
							onClick={() => popover.close()}
						>
							Admin
						</Link>
					)}
					<button
						type="button"
						className="menu__item"
						data-testid="signout"
						onClick={() => {
							popover.close()
							onSignOut()
						}}
					>
						Sign out
					</button>
				</nav>
			)}
		</div>
	)
}
