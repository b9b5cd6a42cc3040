import {
	createShapePropsMigrationIds,
	createShapePropsMigrationSequence,
	type RecordProps,
	type TLShape,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { JOB_STATUSES, type JobStatus } from '../api'

export const GENERATION_SHAPE = 'arbor-generation'

export interface GenerationCandidate {
	imageId: string
	width: number
	height: number
}

/**
 * A job's node on the canvas: pending while the job runs, then its grid of candidates. The same
 * shape id lives from placeholder to result, so arrows bound to it stay valid.
 */
export interface GenerationShapeProps {
	w: number
	h: number
	jobId: string
	op: string
	/** What the header says: "Imagine", "Vary (strong)". */
	label: string
	prompt: string
	status: JobStatus
	/** Why a failed job failed, in words a person can act on; empty otherwise. */
	error: string
	/** Width / height of one candidate, so the placeholder already has the grid's shape. */
	aspect: number
	candidates: GenerationCandidate[]
	/** Cells shown: 4 for a grid, 1 for a single image. */
	slots: number
	/** `grid` (exploration), `final` (a committed result, framed), `upload` (a dropped image). */
	kind: 'grid' | 'final' | 'upload'
	/** Candidates of this node that were committed (upscaled to a final). */
	committed: string[]
}

declare module '@tldraw/tlschema' {
	interface TLGlobalShapePropsMap {
		[GENERATION_SHAPE]: GenerationShapeProps
	}
}

export type GenerationShape = TLShape<typeof GENERATION_SHAPE>

export const generationShapeProps: RecordProps<GenerationShape> = {
	w: T.nonZeroNumber,
	h: T.nonZeroNumber,
	jobId: T.string,
	op: T.string,
	label: T.string,
	prompt: T.string,
	status: T.literalEnum(...JOB_STATUSES),
	error: T.string,
	aspect: T.nonZeroNumber,
	candidates: T.arrayOf(
		T.object({ imageId: T.string, width: T.positiveInteger, height: T.positiveInteger }),
	),
	slots: T.positiveInteger,
	kind: T.literalEnum('grid', 'final', 'upload'),
	committed: T.arrayOf(T.string),
}

// Append-only: a released migration is never edited.
const versions = createShapePropsMigrationIds(GENERATION_SHAPE, {
	AddSlotsKindCommitted: 1,
})

export const generationShapeMigrations = createShapePropsMigrationSequence({
	sequence: [
		{
			id: versions.AddSlotsKindCommitted,
			up: (props) => {
				props.slots = 4
				props.kind = 'grid'
				props.committed = []
			},
			down: (props) => {
				delete props.slots
				delete props.kind
				delete props.committed
			},
		},
	],
})
export { versions as generationShapeVersions }
