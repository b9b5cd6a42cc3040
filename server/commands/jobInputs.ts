import { randomInt } from 'node:crypto'
import { imagesPerRun, type JobCreate, OPS, type OpName } from '../../shared/ops/catalogue'
import { type Dimensions, OpInputError, outputDimensions } from '../../shared/ops/geometry'
import { modelPriceScale, priceOf } from '../../shared/ops/pricing'
import type { AppContext, BoardRow } from '../context'
import type { jobs } from '../db/schema'
import { AppError, NotFound } from '../errors'
import { pricedModel, promptPriceOf } from '../queries/modelPrices'
import { getImage, getJob, getJobById, type ImageRow, type JobRow } from '../queries/views'
import { type CheckRecord, policyCheck } from './policy'

const MAX_SEED = 2 ** 32 - 1

function seedsFrom(base: number, count: number): number[] {
	return Array.from({ length: count }, (_, i) => (base + i) % (MAX_SEED + 1))
}

/** Grids re-made by reroll as a new op; other grids are rerolled as themselves. */
const REROLLS_AS_REROLL: OpName[] = ['imagine', 'reroll']

/** A job's recorded inputs, before it has an id or a creator. */
export type JobInputs = Omit<typeof jobs.$inferInsert, 'id' | 'boardId' | 'createdBy' | 'status'>

export interface ResolvedRequest {
	inputs: JobInputs
	/** The image the job starts from (a branch's parent), for placement and lineage. */
	parentImage?: ImageRow
	/** The grid a reroll re-makes. */
	parentJob?: JobRow
}

function parentImageOf(ctx: AppContext, board: BoardRow, imageId: string) {
	const image = getImage(ctx.db, board.id, imageId)
	// An image of another board is reported exactly like a missing one: no existence leak.
	if (!image) throw NotFound('The parent image')
	return { image, job: getJobById(ctx.db, image.jobId)! }
}

/**
 * Turns a validated request into what the job records: prompt, params, seeds, output size,
 * lineage, model, price (the model's) and the checks it passed. Refuses (4xx) anything the op
 * cannot do.
 */
export function resolveJobRequest(
	ctx: AppContext,
	board: BoardRow,
	input: JobCreate,
): ResolvedRequest {
	try {
		const resolved = resolve(ctx, board, input)
		const { parentJob, parentImage } = resolved
		// A picked model wins; steering keeps its parent's model; a new prompt takes the board's.
		const parentModel = parentJob
			? parentJob.model
			: parentImage
				? getJobById(ctx.db, parentImage.jobId)?.model
				: undefined
		const model =
			input.model ?? (parentImage || parentJob ? parentModel : board.defaultModel) ?? null
		const scale = modelPriceScale(promptPriceOf(ctx.db, pricedModel(model, ctx.engines.list())))
		const parentDims = parentJob ?? parentImage ?? null
		const cost = scale === 1 ? resolved.inputs.cost : priceOf(input, parentDims, scale)
		return { ...resolved, inputs: { ...resolved.inputs, model, cost } }
	} catch (err) {
		if (err instanceof OpInputError) throw new AppError('unprocessable', err.message)
		throw err
	}
}

function resolve(ctx: AppContext, board: BoardRow, input: JobCreate): ResolvedRequest {
	const seed = () => randomInt(0, MAX_SEED)
	const finish = (
		op: OpName,
		fields: Omit<
			JobInputs,
			'op' | 'opVersion' | 'cost' | 'checks' | 'width' | 'height' | 'seeds'
		> & {
			seeds?: number[]
		},
		parentDims: Dimensions | null,
	): JobInputs => {
		const size = outputDimensions(op, fields.params, parentDims)
		const checks: CheckRecord[] = [policyCheck(ctx.db, [fields.prompt, fields.negativePrompt])]
		return {
			...fields,
			op,
			opVersion: OPS[op].version,
			seeds: fields.seeds ?? seedsFrom(seed(), imagesPerRun(op)),
			...size,
			cost: priceOf(input, parentDims),
			checks,
		}
	}

	switch (input.op) {
		case 'imagine': {
			const { seed: fixed, negativePrompt, ...params } = input.params
			return {
				inputs: finish(
					'imagine',
					{
						prompt: input.prompt,
						negativePrompt: negativePrompt || null,
						params: { ...params, ...(fixed === undefined ? {} : { seed: fixed }) },
						seeds: seedsFrom(fixed ?? seed(), imagesPerRun('imagine')),
					},
					null,
				),
			}
		}
		case 'reroll': {
			const source = getJob(ctx.db, board.id, input.parentJobId)
			if (!source) throw NotFound('The grid to reroll')
			if (OPS[source.op as OpName]?.yields !== 'grid')
				throw new AppError(
					'unprocessable',
					'Only grids can be rerolled; upscale the image again instead.',
				)
			const op = REROLLS_AS_REROLL.includes(source.op as OpName) ? 'reroll' : (source.op as OpName)
			const { seed: _fixed, ...params } = source.params
			return {
				parentJob: source,
				parentImage: source.parentImageId
					? getImage(ctx.db, board.id, source.parentImageId)
					: undefined,
				inputs: {
					...finish(
						op,
						{
							prompt: source.prompt,
							negativePrompt: source.negativePrompt,
							params,
							parentImageId: source.parentImageId,
							parentJobId: source.id,
						},
						{ width: source.width, height: source.height },
					),
					// A reroll re-makes its source at the source's size, whatever the op.
					width: source.width,
					height: source.height,
				},
			}
		}
		default: {
			const { image, job } = parentImageOf(ctx, board, input.parentImageId)
			const parentDims = { width: image.width, height: image.height }
			const lineage = { parentImageId: image.id, parentJobId: job.id }
			const inherited = { prompt: job.prompt, negativePrompt: job.negativePrompt }
			let fields: Parameters<typeof finish>[1]
			if (input.op === 'remix') {
				const { negativePrompt, ...params } = input.params
				fields = {
					...lineage,
					prompt: input.prompt,
					negativePrompt: negativePrompt ?? job.negativePrompt,
					params,
				}
			} else {
				fields = { ...lineage, ...inherited, params: { ...input.params } }
			}
			return { parentImage: image, inputs: finish(input.op, fields, parentDims) }
		}
	}
}
