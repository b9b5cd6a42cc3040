import type { OnlineModel } from '../../../shared/engines'
import './modelPicker.css'
import { creditsText, formatCredits } from '../../budget/limits'

interface ModelPickerProps {
	/** The models online now; null while they load. */
	models: readonly OnlineModel[] | null
	/** The model shown as chosen (see `promptModel`). */
	value: OnlineModel | null
	disabled?: boolean
	/** Where the picker sits: the prompt bar, or the steering bar (smaller). */
	variant?: 'prompt' | 'steer'
	/** A note for the title (steering: whose model it is). */
	note?: string
	/** Highlights the picker: the value is not the default (steering: not the node's model). */
	changed?: boolean
	onChange(model: string): void
	testId?: string
}

/** "sd_xl_base_1.0.safetensors" reads as "sd_xl_base_1.0": the file type says nothing to a person. */
export function modelLabel(model: { id: string; name: string }): string {
	return model.name.replace(/\.(safetensors|ckpt|pt|pth|gguf|bin)$/i, '')
}

/**
 * Which model a prompt (or a steering op) runs on, with what a prompt costs on each. Two or more
 * online: a native select (keyboard and screen readers get it for free). One: a quiet label, since
 * there is nothing to choose. None: says so (in queue mode jobs wait for a worker).
 */
export function ModelPicker(props: ModelPickerProps) {
	const { models, value, variant = 'prompt', testId = 'model-picker' } = props
	const base = `model-picker model-picker--${variant}`
	if (models === null) return null
	if (models.length === 0)
		return (
			<span
				className={`${base} model-picker--none`}
				data-testid={testId}
				data-state="none"
				title="No engine is online: a job waits until a worker serving its model starts."
			>
				No model online
			</span>
		)
	if (models.length === 1 && value)
		return (
			<span
				className={`${base} model-picker--single`}
				data-testid={testId}
				data-state="single"
				data-model={value.id}
				title={`Runs on ${value.name} (${value.engine}), the only model online${Number.isFinite(value.price) ? ` · ${creditsText(value.price)} a prompt` : ''}${props.note ? ` · ${props.note}` : ''}`}
			>
				<span className="model-picker__dot" aria-hidden="true" />
				<span className="visually-hidden">Model: </span>
				<span className="model-picker__name">{modelLabel(value)}</span>
			</span>
		)
	return (
		<label
			className={`${base}${props.changed ? ' is-changed' : ''}`}
			title={`Model — ${value ? `${value.name} (${value.engine})${Number.isFinite(value.price) ? ` · ${creditsText(value.price)} a prompt` : ''}` : 'pick one'}${props.note ? ` · ${props.note}` : ''}`}
		>
			<span className="visually-hidden">Model</span>
			<select
				data-testid={testId}
				data-state="many"
				data-changed={props.changed ? 'true' : undefined}
				value={value?.id ?? ''}
				disabled={props.disabled}
				onChange={(e) => props.onChange(e.target.value)}
			>
				{!value && <option value="">Pick a model</option>}
				{models.map((m) => (
					<option key={m.id} value={m.id}>
						{modelLabel(m)}
						{Number.isFinite(m.price) ? ` · ${formatCredits(m.price)} cr` : ''}
					</option>
				))}
			</select>
		</label>
	)
}
