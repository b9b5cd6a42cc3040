import { useId } from 'react'
import { DEFAULT_FIELDS, type ImagineFields } from './imagineParams'

interface PromptParamsProps {
	fields: ImagineFields
	disabled: boolean
	onChange(fields: ImagineFields): void
}

/**
 * Imagine's parameters beyond the aspect ratio: seed, chaos (how far apart the four candidates
 * are), stylize, and what to avoid. Every image records them in its provenance.
 */
export function PromptParams({ fields, disabled, onChange }: PromptParamsProps) {
	const id = useId()
	const set = <K extends keyof ImagineFields>(key: K, value: ImagineFields[K]) =>
		onChange({ ...fields, [key]: value })
	return (
		<fieldset className="prompt-params" data-testid="prompt-params" disabled={disabled}>
			<legend className="visually-hidden">Parameters</legend>
			<div className="prompt-params__head">
				<span className="eyebrow">Parameters</span>
				<span className="prompt-params__note">Recorded with every image</span>
				<button
					type="button"
					className="link-button prompt-params__reset"
					data-testid="params-reset"
					onClick={() => onChange({ ...DEFAULT_FIELDS, aspectRatio: fields.aspectRatio })}
				>
					Reset
				</button>
			</div>
			<label className="prompt-params__field" htmlFor={`${id}-chaos`}>
				<span>Chaos</span>
				<input
					id={`${id}-chaos`}
					type="range"
					min={0}
					max={100}
					step={5}
					data-testid="param-chaos"
					value={fields.chaos}
					onChange={(e) => set('chaos', Number(e.target.value))}
				/>
				<output className="prompt-params__value">{fields.chaos}</output>
			</label>
			<label className="prompt-params__field" htmlFor={`${id}-stylize`}>
				<span>Stylize</span>
				<input
					id={`${id}-stylize`}
					type="range"
					min={0}
					max={1000}
					step={25}
					data-testid="param-stylize"
					value={fields.stylize}
					onChange={(e) => set('stylize', Number(e.target.value))}
				/>
				<output className="prompt-params__value">{fields.stylize}</output>
			</label>
			<label className="prompt-params__field prompt-params__field--seed" htmlFor={`${id}-seed`}>
				<span>Seed</span>
				<input
					id={`${id}-seed`}
					className="input"
					inputMode="numeric"
					placeholder="Random"
					data-testid="param-seed"
					value={fields.seed}
					onChange={(e) => set('seed', e.target.value)}
				/>
			</label>
			<label className="prompt-params__field prompt-params__field--avoid" htmlFor={`${id}-avoid`}>
				<span>Avoid</span>
				<input
					id={`${id}-avoid`}
					className="input"
					placeholder="Negative prompt: what should not be in it"
					data-testid="param-negative"
					maxLength={1000}
					value={fields.negativePrompt}
					onChange={(e) => set('negativePrompt', e.target.value)}
				/>
			</label>
		</fieldset>
	)
}
