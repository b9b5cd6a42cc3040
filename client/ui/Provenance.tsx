import { opLabel } from '../../shared/ops/labels'
import type { ImageDetails } from '../api/client'
import { formatDateTime } from './formatDate'
import { ParamList } from './ParamList'

/**
 * Where an image came from, field by field, as the record says. A client's record may lack the
 * prompt, seed and cost (the owner hides them): those rows are left out, not shown empty.
 */
export function Provenance({
	image,
	onOpenParent,
}: {
	image: ImageDetails
	onOpenParent(id: string): void
}) {
	// The team's record names the engine and model; a client's leaves the workshop out.
	const workshop = 'model' in image ? image : null
	const extras = workshop?.engine?.extras ?? {}
	// An engine that ignores seeds (OpenAI-style): Arbor's seed would reproduce nothing.
	const seedsIgnored = workshop?.engine?.seed === null && extras.seedsHonoured === false
	// The size the engine itself painted at (a fixed-size API), when it differs from the image's.
	const painted = typeof extras.engineSize === 'string' ? extras.engineSize : null
	const tokens = extras.totalTokens
	// A batched engine (ComfyUI) used one seed for the grid: show that seed and this image's place
	// in the batch, which reproduce it, rather than Arbor's per-candidate seed.
	const engineSeed = workshop?.engine?.seed
	const batch =
		typeof extras.batchIndex === 'number' && typeof engineSeed === 'number'
			? { seed: engineSeed, index: extras.batchIndex }
			: null
	return (
		<dl className="provenance" data-testid="inspector-provenance">
			<dt>Operation</dt>
			<dd data-testid="inspector-op">
				{opLabel(image.op, image.params)} <span className="muted">v{image.opVersion}</span>
			</dd>
			{image.prompt !== undefined && (
				<>
					<dt>Prompt</dt>
					<dd data-testid="inspector-prompt" className="provenance__prompt">
						{image.prompt || <span className="muted">—</span>}
					</dd>
				</>
			)}
			{image.negativePrompt && (
				<>
					<dt>Avoid</dt>
					<dd>{image.negativePrompt}</dd>
				</>
			)}
			{image.seed !== undefined && (
				<>
					<dt>Seed</dt>
					{seedsIgnored ? (
						<dd data-testid="inspector-seed" className="muted">
							None — {workshop?.backend ?? 'this engine'} does not take seeds
						</dd>
					) : (
						<dd data-testid="inspector-seed" className="mono">
							{batch ? (
								<span title="The engine drew the whole grid's noise from one seed; this image is its place in that batch">
									{batch.seed} <span className="muted">· batch index {batch.index}</span>
								</span>
							) : (
								image.seed
							)}
						</dd>
					)}
				</>
			)}
			<dt>Parameters</dt>
			<dd data-testid="inspector-params">
				<ParamList params={image.params} />
			</dd>
			<dt>Parent</dt>
			<dd>
				{image.parentImageId ? (
					<button
						type="button"
						className="link-button"
						data-testid="inspector-parent"
						onClick={() => image.parentImageId && onOpenParent(image.parentImageId)}
					>
						Show the parent candidate
					</button>
				) : (
					<span className="muted">
						{image.op === 'upload'
							? 'None — uploaded to the board'
							: 'None — straight from a prompt'}
					</span>
				)}
			</dd>
			{workshop && (
				<>
					<dt>Model</dt>
					<dd data-testid="inspector-model">
						{workshop.backend} · {workshop.model}{' '}
						<span className="muted mono">{workshop.version}</span>
					</dd>
				</>
			)}
			<dt>Size</dt>
			<dd className="mono" data-testid="inspector-size">
				{image.width} × {image.height}
				{painted && painted !== `${image.width}x${image.height}` && (
					<span className="muted"> (painted at {painted.replace('x', ' × ')}, fitted)</span>
				)}
			</dd>
			{typeof tokens === 'number' && (
				<>
					<dt>Tokens</dt>
					<dd className="mono" data-testid="inspector-tokens">
						{tokens}
					</dd>
				</>
			)}
			<dt>By</dt>
			<dd data-testid="inspector-author">{image.createdBy.name}</dd>
			<dt>When</dt>
			<dd data-testid="inspector-created">{formatDateTime(image.createdAt)}</dd>
			{image.cost !== undefined && (
				<>
					<dt>Cost</dt>
					<dd data-testid="inspector-cost">
						{image.cost} {image.cost === 1 ? 'credit' : 'credits'}
					</dd>
				</>
			)}
		</dl>
	)
}
