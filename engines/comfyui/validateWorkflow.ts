import { OPS, type OpName } from '../../shared/ops/catalogue'
import type { WorkflowBindings, WorkflowGraph } from '../../shared/workflows'
import type { ObjectInfo } from './protocol'

const isLink = (v: unknown) =>
	Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number'

/** Bindings that must land on an input of this kind (its `/object_info` type). */
const EXPECTED_TYPE: Partial<Record<keyof WorkflowBindings, string>> = {
	prompt: 'STRING',
	negativePrompt: 'STRING',
	seed: 'INT',
	width: 'INT',
	height: 'INT',
	denoise: 'FLOAT',
	batchSize: 'INT',
}

/**
 * What is wrong with a team's workflow for `op`, checked against the engine's `/object_info`:
 * every node class exists, every required input is given (a value or a link to a node in the
 * graph), every binding names an input its node has (of the right type), an op that starts from a
 * parent binds `parentImage`, and something saves images. Empty when it can be registered.
 */
export function workflowProblems(
	op: OpName,
	graph: WorkflowGraph,
	bindings: WorkflowBindings,
	info: ObjectInfo,
): string[] {
	const problems: string[] = []
	const bound = new Set(Object.values(bindings).map((at) => `${at.node}.${at.input}`))
	for (const [id, node] of Object.entries(graph)) {
		const spec = info[node.class_type]
		if (!spec) {
			problems.push(`node ${id}: ComfyUI has no node class ${node.class_type}`)
			continue
		}
		for (const name of Object.keys(spec.input?.required ?? {})) {
			const value = node.inputs[name]
			if (value === undefined && !bound.has(`${id}.${name}`))
				problems.push(`node ${id} (${node.class_type}): input ${name} is missing`)
			else if (value !== undefined && isLink(value) && !graph[(value as [string, number])[0]])
				problems.push(`node ${id} (${node.class_type}): input ${name} links to a missing node`)
		}
	}
	for (const [key, at] of Object.entries(bindings) as [
		keyof WorkflowBindings,
		{ node: string; input: string },
	][]) {
		const node = graph[at.node]
		if (!node) {
			problems.push(`binding ${key}: the graph has no node ${at.node}`)
			continue
		}
		const spec = info[node.class_type]?.input
		const declared = spec?.required?.[at.input] ?? spec?.optional?.[at.input]
		if (!declared) {
			problems.push(`binding ${key}: ${node.class_type} (node ${at.node}) has no input ${at.input}`)
			continue
		}
		const type = Array.isArray(declared) ? declared[0] : undefined
		const expected = EXPECTED_TYPE[key]
		if (expected && typeof type === 'string' && type !== expected)
			problems.push(`binding ${key}: ${node.class_type}.${at.input} takes ${type}, not ${expected}`)
		if (key === 'parentImage' && node.class_type !== 'LoadImage')
			problems.push(`binding parentImage: node ${at.node} is a ${node.class_type}, not a LoadImage`)
	}
	if (OPS[op].takesParentImage && !bindings.parentImage)
		problems.push(`${op} starts from a parent image: bind parentImage to a LoadImage node's image`)
	if (!Object.values(graph).some((n) => n.class_type === 'SaveImage'))
		problems.push('the graph has no SaveImage node, so it would make no images')
	return problems
}
