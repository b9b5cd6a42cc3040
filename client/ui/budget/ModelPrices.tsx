import { type FormEvent, useCallback, useEffect, useState } from 'react'
import type { AdminModel, AdminModelsReply } from '../../../shared/modelPrices'
import { api } from '../../api/client'
import { useBudget } from '../../budget/BudgetContext'
import { creditsText, formatCredits } from '../../budget/limits'
import { describeError } from '../describeError'
import { modelLabel } from '../prompt/ModelPicker'
import { useToasts } from '../Toasts'
import '../prompt/modelPicker.css'
import { parseAmount } from './AdminUserEditor'

/**
 * The admin page's model prices: every model online (and every priced one that is not), what a
 * prompt costs on it, and a field to set it; other ops on a model scale alike. A model without a
 * price of its own costs the catalogue's.
 */
export function ModelPrices() {
	const [reply, setReply] = useState<AdminModelsReply | null>(null)
	const [error, setError] = useState<string | null>(null)
	const load = useCallback(() => {
		api.admin
			.listModelPrices()
			.then(setReply)
			.catch((e: unknown) => setError(describeError(e)))
	}, [])
	useEffect(load, [load])

	return (
		<section className="model-prices" data-testid="model-prices" aria-labelledby="model-prices-h">
			<div className="list-heading list-heading--section">
				<div>
					<h2 id="model-prices-h">Model prices</h2>
					<p className="muted">
						What a prompt (four candidates) costs on each model. Steering, zooming and upscaling on
						a model scale by the same ratio.
						{reply &&
							` Without a price of its own a model costs the catalogue’s ${creditsText(reply.cataloguePrice)}.`}
					</p>
				</div>
			</div>
			{error && (
				<p className="form-error" role="alert">
					{error}
				</p>
			)}
			{reply && reply.models.length === 0 && (
				<p className="usage-table__empty">No engine is online, and no model has a price yet.</p>
			)}
			{reply && reply.models.length > 0 && (
				<div className="card card--table">
					<table className="data-table model-prices__table">
						<thead>
							<tr>
								<th scope="col">Model</th>
								<th scope="col">Engine</th>
								<th scope="col">A prompt costs</th>
							</tr>
						</thead>
						<tbody>
							{reply.models.map((model) => (
								<ModelPriceRow
									key={model.id}
									model={model}
									cataloguePrice={reply.cataloguePrice}
									onSaved={setReply}
								/>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	)
}

interface ModelPriceRowProps {
	model: AdminModel
	cataloguePrice: number
	onSaved(reply: AdminModelsReply): void
}

function ModelPriceRow({ model, cataloguePrice, onSaved }: ModelPriceRowProps) {
	const toasts = useToasts()
	const budget = useBudget()
	const [text, setText] = useState(String(model.price))
	const [problem, setProblem] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)

	const save = async (price: number | null) => {
		setBusy(true)
		try {
			const reply = await api.admin.setModelPrice({ model: model.id, price })
			onSaved(reply)
			setText(String(price ?? cataloguePrice))
			setProblem(null)
			// The pickers show prices: they read them again.
			void budget?.models.refresh()
			void budget?.ops.refresh()
			toasts.show(
				'success',
				`A prompt on ${modelLabel(model)} now costs ${creditsText(price ?? cataloguePrice)}${price === null ? ' (the catalogue’s)' : ''}.`,
			)
		} catch (error) {
			setProblem(describeError(error))
		} finally {
			setBusy(false)
		}
	}
	const submit = (event: FormEvent) => {
		event.preventDefault()
		const parsed = parseAmount(text, { allowNegative: false })
		if (!parsed.ok) return setProblem(parsed.message)
		if (parsed.value < 1) return setProblem('A prompt costs at least 1 credit.')
		void save(parsed.value)
	}

	return (
		<tr data-testid="model-price-row" data-model={model.id}>
			<td>
				<div className="admin-table__who">
					<strong title={model.id}>{modelLabel(model)}</strong>
					<span className="muted">
						{model.online ? 'Online' : 'Offline'}
						{model.custom ? ' · own price' : ' · catalogue price'}
					</span>
				</div>
			</td>
			<td className="muted">{model.engine ?? '—'}</td>
			<td>
				<form className="admin-editor__row model-prices__form" onSubmit={submit} noValidate>
					<input
						aria-label={`Credits a prompt costs on ${modelLabel(model)}`}
						data-testid="model-price-input"
						inputMode="numeric"
						className="input input--narrow"
						value={text}
						disabled={busy}
						onChange={(e) => {
							setText(e.target.value)
							setProblem(null)
						}}
					/>
					<span className="muted">credits</span>
					<button
						type="submit"
						className="arbor-button arbor-button--small arbor-button--primary"
						data-testid="model-price-save"
						disabled={busy || text.trim() === formatCredits(model.price)}
					>
						Save
					</button>
					{model.custom && (
						<button
							type="button"
							className="link-button"
							data-testid="model-price-reset"
							disabled={busy}
							onClick={() => void save(null)}
						>
							Use the catalogue’s
						</button>
					)}
				</form>
				{problem && (
					<p className="form-error" role="alert">
						{problem}
					</p>
				)}
			</td>
		</tr>
	)
}
