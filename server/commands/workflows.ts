import { eq } from 'drizzle-orm'
import { ComfyClient } from '../../engines/comfyui/client'
import { workflowProblems } from '../../engines/comfyui/validateWorkflow'
import type { OpName } from '../../shared/ops/catalogue'
import type { CustomWorkflow, WorkflowSave } from '../../shared/workflows'
import type { AppContext, UserRow } from '../context'
import type { Db } from '../db/client'
import { comfyWorkflows } from '../db/schema'
import { AppError, NotFound } from '../errors'
import { newId } from '../ids'

const toWorkflow = (row: typeof comfyWorkflows.$inferSelect): CustomWorkflow => ({
	id: row.id,
	op: row.op as OpName,
	name: row.name,
	graph: row.graph,
	bindings: row.bindings,
})

/** The workflow registered for `op`, if any (sent with each job of that op). */
export function workflowFor(db: Db, op: string): CustomWorkflow | null {
	const row = db.select().from(comfyWorkflows).where(eq(comfyWorkflows.op, op)).get()
	return row ? toWorkflow(row) : null
}

export function workflowsList(db: Db): CustomWorkflow[] {
	return db.select().from(comfyWorkflows).all().map(toWorkflow)
}

/**
 * Registers (or replaces) the graph for an op after checking it against ComfyUI's
 * `/object_info`: refused with 422 and every problem found, or when no ComfyUI is configured
 * to check it against.
 */
export async function workflowSave(
	ctx: AppContext,
	options: { user: UserRow; op: OpName; input: WorkflowSave },
): Promise<CustomWorkflow> {
	const url = ctx.config.ARBOR_COMFYUI_URL
	if (!url)
		throw new AppError(
			'unprocessable',
			'Set ARBOR_COMFYUI_URL on the server so workflows can be checked against ComfyUI.',
		)
	const client = new ComfyClient({ url })
	let info: Awaited<ReturnType<ComfyClient['objectInfo']>>
	try {
		info = await client.objectInfo(AbortSignal.timeout(15_000))
	} catch (err) {
		throw new AppError(
			'unprocessable',
			`ComfyUI could not be asked for its nodes (${err instanceof Error ? err.message : err}).`,
		)
	} finally {
		client.close()
	}
	const { graph, bindings, name } = options.input
	const problems = workflowProblems(options.op, graph, bindings, info)
	if (problems.length > 0)
		throw new AppError(
			'unprocessable',
			`The workflow does not fit: ${problems.slice(0, 8).join('; ')}`,
		)
	const row = {
		op: options.op,
		id: newId('workflow'),
		name,
		graph,
		bindings,
		createdBy: options.user.id,
		createdAt: Date.now(),
	}
	ctx.db
		.insert(comfyWorkflows)
		.values(row)
		.onConflictDoUpdate({ target: comfyWorkflows.op, set: row })
		.run()
	return toWorkflow(row)
}

export function workflowRemove(db: Db, op: OpName): void {
	const removed = db.delete(comfyWorkflows).where(eq(comfyWorkflows.op, op)).returning().get()
	if (!removed) throw NotFound(`A workflow for ${op}`)
}
