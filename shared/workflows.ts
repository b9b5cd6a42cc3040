import { z } from 'zod'
import { OpNameSchema } from './ops/catalogue'

// A team's own ComfyUI graph for an op: the API-format JSON ComfyUI exports ("Save (API
// format)"), plus where Arbor writes its values into it. Registered by an admin, checked against
// the engine's `/object_info` when saved, sent with each job of that op.

/** One node input: `{ node: "6", input: "text" }`. */
export const WorkflowInputSchema = z
	.object({ node: z.string().min(1).max(64), input: z.string().min(1).max(100) })
	.strict()
export type WorkflowInput = z.infer<typeof WorkflowInputSchema>

/** Which node input takes each of Arbor's values; unbound values keep the graph's own. */
export const WorkflowBindingsSchema = z
	.object({
		prompt: WorkflowInputSchema,
		negativePrompt: WorkflowInputSchema.optional(),
		seed: WorkflowInputSchema.optional(),
		width: WorkflowInputSchema.optional(),
		height: WorkflowInputSchema.optional(),
		denoise: WorkflowInputSchema.optional(),
		/** A `LoadImage` node's `image`: required for ops that start from a parent. */
		parentImage: WorkflowInputSchema.optional(),
		/** Images per run (an EmptyLatentImage's `batch_size`); else the graph makes one per run. */
		batchSize: WorkflowInputSchema.optional(),
		/** The checkpoint loader's `ckpt_name`, so a job's model choice applies. */
		checkpoint: WorkflowInputSchema.optional(),
	})
	.strict()
export type WorkflowBindings = z.infer<typeof WorkflowBindingsSchema>

const GraphNodeSchema = z.looseObject({
	class_type: z.string().min(1).max(200),
	inputs: z.record(z.string(), z.unknown()),
})

/** An API-format graph; at most 500 nodes. */
export const WorkflowGraphSchema = z
	.record(z.string().min(1).max(64), GraphNodeSchema)
	.refine((g) => Object.keys(g).length > 0 && Object.keys(g).length <= 500, {
		message: 'a workflow has 1–500 nodes',
	})
export type WorkflowGraph = z.infer<typeof WorkflowGraphSchema>

/** `PUT /api/admin/workflows/:op`. */
export const WorkflowSaveSchema = z
	.object({
		name: z.string().trim().min(1).max(120),
		graph: WorkflowGraphSchema,
		bindings: WorkflowBindingsSchema,
	})
	.strict()
export type WorkflowSave = z.infer<typeof WorkflowSaveSchema>

/** A registered workflow, as stored and as sent with a job. */
export const CustomWorkflowSchema = z.object({
	id: z.string(),
	op: OpNameSchema,
	name: z.string(),
	graph: WorkflowGraphSchema,
	bindings: WorkflowBindingsSchema,
})
export type CustomWorkflow = z.infer<typeof CustomWorkflowSchema>
