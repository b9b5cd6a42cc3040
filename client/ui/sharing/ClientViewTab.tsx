import { useState } from 'react'
import type { ClientViewSettings } from '../../../shared/sharing'
import { imageFileUrl } from '../../api/client'
import { sharingApi } from '../../api/sharing'
import { ListError, ListLoading, Switch } from './SharingBits'
import { describeSharingError } from './sharingErrors'
import { useRemote } from './useRemote'

const SETTINGS: { key: keyof ClientViewSettings; label: string; hint: string }[] = [
	{ key: 'showPrompts', label: 'Show prompts', hint: 'Clients read the prompt behind each image' },
	{ key: 'showSeeds', label: 'Show seeds', hint: 'Seeds and parameters in the inspector' },
	{ key: 'showCosts', label: 'Show costs', hint: 'What each image cost in credits' },
	{
		key: 'allowComments',
		label: 'Allow comments',
		hint: 'Clients can comment on and approve published picks',
	},
]

/** What a client link shows: the owner's switches and the images published to it. */
export function ClientViewTab({ boardId }: { boardId: string }) {
	const view = useRemote(() => sharingApi.publications(boardId), boardId)
	const [saving, setSaving] = useState<keyof ClientViewSettings | null>(null)
	const [error, setError] = useState<string | null>(null)

	const toggle = async (key: keyof ClientViewSettings, value: boolean) => {
		setError(null)
		setSaving(key)
		// Shown at once; put back if the server refuses.
		view.set((data) => ({ ...data, settings: { ...data.settings, [key]: value } }))
		try {
			const settings = await sharingApi.updateClientView(boardId, { [key]: value })
			view.set((data) => ({ ...data, settings }))
		} catch (failure) {
			view.set((data) => ({ ...data, settings: { ...data.settings, [key]: !value } }))
			setError(describeSharingError(failure, 'clientView'))
		} finally {
			setSaving(null)
		}
	}

	const unpublish = async (imageId: string) => {
		setError(null)
		try {
			await sharingApi.unpublish(boardId, imageId)
			view.set((data) => ({ ...data, imageIds: data.imageIds.filter((id) => id !== imageId) }))
		} catch (failure) {
			setError(describeSharingError(failure, 'clientView'))
		}
	}

	if (view.state.status === 'loading') return <ListLoading />
	if (view.state.status === 'error')
		return <ListError message={view.state.message} onRetry={view.reload} />
	const { settings, imageIds } = view.state.data
	return (
		<div className="share-section" data-testid="share-client-view">
			<p className="share-intro">
				People with a <strong>client link</strong> see a clean board with only the images you
				publish and the path that led to them. Nothing else on the board reaches them.
			</p>
			<div className="share-switches">
				{SETTINGS.map((setting) => (
					<Switch
						key={setting.key}
						testId={`client-${setting.key}`}
						label={setting.label}
						hint={setting.hint}
						checked={settings[setting.key]}
						disabled={saving === setting.key}
						onChange={(value) => void toggle(setting.key, value)}
					/>
				))}
			</div>
			{error && (
				<p className="field-error" role="alert" data-testid="client-view-error">
					{error}
				</p>
			)}
			<h3 className="share-subhead">
				Published <span className="count-badge">{imageIds.length}</span>
			</h3>
			{imageIds.length === 0 ? (
				<p className="share-empty" data-testid="publications-empty">
					Nothing published yet. Select a final image on the canvas and publish it from the
					inspector; it appears here and on every client link.
				</p>
			) : (
				<ul className="publication-grid" data-testid="publication-list">
					{imageIds.map((imageId) => (
						<li key={imageId} className="publication" data-testid="publication">
							<img src={imageFileUrl(boardId, imageId, 'thumb')} alt="" loading="lazy" />
							<button
								type="button"
								className="arbor-button arbor-button--small publication__unpublish"
								data-testid="unpublish"
								onClick={() => void unpublish(imageId)}
							>
								Unpublish
							</button>
						</li>
					))}
				</ul>
			)}
		</div>
	)
}
