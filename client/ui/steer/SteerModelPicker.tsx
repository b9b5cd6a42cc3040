import type { OnlineModel } from '../../../shared/engines'
import type { BoardContextValue } from '../../board/BoardContext'
import { ModelPicker, modelLabel } from '../prompt/ModelPicker'
import type { SteeringTarget } from '../prompt/modelChoice'

interface SteerModelPickerProps {
	board: BoardContextValue
	imageId: string
	models: readonly OnlineModel[] | null
	target: SteeringTarget
}

/**
 * The steering bar's model: the node's own, which every steering op keeps, unless the person picks
 * another here for this candidate (highlighted, and said in its title); picking the node's model
 * again goes back to it. One model online: a quiet label.
 */
export function SteerModelPicker({ board, imageId, models, target }: SteerModelPickerProps) {
	const { model, nodeModel } = target
	// A node model no engine serves now still shows, marked offline, so the select tells the truth.
	const listed =
		models && model && !models.some((m) => m.id === model.id) ? [model, ...models] : models
	return (
		<ModelPicker
			models={listed}
			value={model}
			variant="steer"
			testId="steer-model"
			note={
				target.overridden && nodeModel
					? `steering switches from this node’s ${modelLabel({ id: nodeModel, name: nodeModel })}`
					: 'the model this node was made with'
			}
			changed={target.overridden}
			onChange={(id) => board.steerModel.set(id === nodeModel ? null : { imageId, model: id })}
		/>
	)
}
