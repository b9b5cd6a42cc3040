import { HTMLContainer } from 'tldraw'
import type { PromptShape } from '../../../shared/shapes/promptShape'

/** A prompt as it was asked: the words, the frame, who asked. */
export function PromptCard({ shape }: { shape: PromptShape }) {
	const { w, h, prompt, aspectRatio, author, jobId } = shape.props
	return (
		<HTMLContainer
			className="arbor-prompt"
			data-testid="prompt-card"
			data-job-id={jobId}
			style={{ width: w, height: h }}
		>
			<div className="arbor-prompt__eyebrow">Prompt</div>
			<p className="arbor-prompt__text" title={prompt}>
				{prompt}
			</p>
			<footer className="arbor-prompt__footer">
				<span className="arbor-chip">{aspectRatio}</span>
				{author && <span className="arbor-prompt__author">{author}</span>}
			</footer>
		</HTMLContainer>
	)
}
