import { HTMLContainer, useEditor, useValue } from 'tldraw'
import type { PromptShape } from '../../../shared/shapes/promptShape'
import { useBoard } from '../../board/BoardContext'
import { selectedLineage } from '../../board/lineage/canvasLineage'
import { RECALL_SOURCE_LABELS, type RecallMeta, recallMetaOf } from './recallMeta'

/** A prompt as it was asked: the words, the frame, who asked. A recall card can run it again. */
export function PromptCard({ shape }: { shape: PromptShape }) {
	const editor = useEditor()
	const { w, h, prompt, aspectRatio, author, jobId } = shape.props
	const recall = recallMetaOf(shape.meta)
	const onPath = useValue(
		'on lineage path',
		() => selectedLineage(editor).get().shapes.indexOf(shape.id) > 0,
		[editor, shape.id],
	)
	return (
		<HTMLContainer
			className={`arbor-prompt${recall ? ' arbor-prompt--recall' : ''}${onPath ? ' arbor-prompt--ancestor' : ''}`}
			data-testid={recall ? 'recall-card' : 'prompt-card'}
			data-job-id={jobId}
			data-lineage={onPath ? 'ancestor' : undefined}
			style={{ width: w, height: h }}
		>
			<div className="arbor-prompt__eyebrow">
				{recall ? `Recalled · ${RECALL_SOURCE_LABELS[recall.source]}` : 'Prompt'}
			</div>
			<p className="arbor-prompt__text" title={prompt} data-testid="prompt-card-text">
				{prompt}
			</p>
			{recall && <RecallDetails shape={shape} recall={recall} />}
			<footer className="arbor-prompt__footer">
				<span className="arbor-chip">{aspectRatio}</span>
				{recall?.seed !== undefined && (
					<span className="arbor-chip" title="Seed">
						{recall.seed}
					</span>
				)}
				{author && <span className="arbor-prompt__author">{author}</span>}
			</footer>
		</HTMLContainer>
	)
}

function RecallDetails({ shape, recall }: { shape: PromptShape; recall: RecallMeta }) {
	const editor = useEditor()
	const board = useBoard()
	const details = Object.entries(recall.details)
		.map(([key, value]) => `${key}: ${value}`)
		.join(' · ')
	return (
		<div className="arbor-prompt__recall">
			{recall.negativePrompt && (
				<p className="arbor-prompt__avoid" title={recall.negativePrompt}>
					<span>Avoid</span> {recall.negativePrompt}
				</p>
			)}
			<div className="arbor-prompt__run-row">
				<span className="arbor-prompt__source" title={details || recall.fileName}>
					{recall.fileName ?? details}
				</span>
				{board?.canEdit && (
					<button
						type="button"
						className="arbor-prompt__run"
						data-testid="recall-run"
						title="Imagine this prompt with its recalled aspect ratio, seed and negative prompt"
						onPointerDown={(event) => editor.markEventAsHandled(event)}
						onClick={() => void board.runRecall(shape.id)}
					>
						Run <span aria-hidden="true">→</span>
					</button>
				)}
			</div>
		</div>
	)
}
