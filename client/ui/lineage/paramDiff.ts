import { opLabel } from '../../../shared/ops/labels'

/**
 * The fields of a lineage step the diff compares (`LineageStep` and `ClientLineageStep` fit it).
 * A client's steps may lack the prompt and seed (the owner hides them): absent, not changed.
 */
export interface DiffableStep {
	op: string
	prompt?: string
	negativePrompt?: string | null
	params: Record<string, unknown>
	/** Null for a whole rerolled grid; undefined when hidden from the reader. */
	seed?: number | null
	width: number
	height: number
}

export interface WordPart {
	text: string
	kind: 'same' | 'added' | 'removed'
}

export interface DiffRow {
	key: string
	label: string
	/** null: not set on that side. */
	from: string | null
	to: string | null
}

export interface StepDiff {
	/** How the child was made from the parent: "Vary (strong)", "Zoom out 2×". */
	step: string
	/** The prompt word by word, when the words changed; null when they are the same. */
	prompt: WordPart[] | null
	/** Whether both prompts are known: a client may not be shown them, so there is nothing to say. */
	promptShown: boolean
	rows: DiffRow[]
}

const PARAM_LABELS: Record<string, string> = {
	strength: 'Strength',
	factor: 'Factor',
	direction: 'Direction',
	mode: 'Mode',
	aspectRatio: 'Aspect',
	chaos: 'Chaos',
	stylize: 'Stylize',
	seed: 'Seed',
}
// Shown by their own rows.
const OWN_ROWS = new Set(['negativePrompt', 'seed'])

function show(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null
	return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function tokens(text: string): string[] {
	return text.trim().split(/\s+/).filter(Boolean)
}

interface Run {
	same: string[]
	removed: string[]
	added: string[]
}

/**
 * Folds a short unchanged run that sits between two edits into them ("over a calm sea" → "in a
 * violent storm" reads better than four scraps around a shared "a"): the rule diff-match-patch's
 * semantic cleanup uses — an equality no longer than the edits on both of its sides goes.
 */
function cleanup(runs: Run[]): Run[] {
	const edit = (r: Run) => Math.max(r.removed.length, r.added.length)
	const out: Run[] = []
	for (const run of runs) {
		const before = out.at(-1)
		// `run.same` sits between the edit of the run before and this run's own edit.
		if (
			before &&
			edit(before) > 0 &&
			edit(run) > 0 &&
			run.same.length <= edit(before) &&
			run.same.length <= edit(run)
		) {
			out[out.length - 1] = {
				same: before.same,
				removed: [...before.removed, ...run.same, ...run.removed],
				added: [...before.added, ...run.same, ...run.added],
			}
		} else out.push(run)
	}
	return out
}

/**
 * A word-level diff of two prompts (longest common subsequence; case-insensitive, so "Sea" and
 * "sea" are the same word), tidied so an edit reads as one phrase replaced by another. Removed
 * words come before the words added in their place.
 *
 * @example wordDiff('a calm sea', 'a stormy sea')
 * // same "a", removed "calm", added "stormy", same "sea"
 */
export function wordDiff(before: string, after: string): WordPart[] {
	const a = tokens(before)
	const b = tokens(after)
	const same = (i: number, j: number) => a[i].toLowerCase() === b[j].toLowerCase()
	// lcs[i][j]: length of the LCS of a[i:] and b[j:].
	const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
	for (let i = a.length - 1; i >= 0; i--)
		for (let j = b.length - 1; j >= 0; j--)
			lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
	// Each run: an unchanged stretch, then the edit after it.
	const runs: Run[] = [{ same: [], removed: [], added: [] }]
	const current = () => runs[runs.length - 1]
	const keep = (word: string) => {
		if (current().removed.length || current().added.length)
			runs.push({ same: [], removed: [], added: [] })
		current().same.push(word)
	}
	let i = 0
	let j = 0
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && same(i, j)) {
			keep(b[j])
			i++
			j++
		} else if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1]))
			current().removed.push(a[i++])
		else current().added.push(b[j++])
	}
	const parts: WordPart[] = []
	for (const run of cleanup(runs)) {
		if (run.same.length) parts.push({ text: run.same.join(' '), kind: 'same' })
		if (run.removed.length) parts.push({ text: run.removed.join(' '), kind: 'removed' })
		if (run.added.length) parts.push({ text: run.added.join(' '), kind: 'added' })
	}
	return parts
}

/**
 * What changed from a parent image to its child: the step that made it, the prompt's words, and
 * each setting that differs. A child's op settings (strength, factor, direction, mode) are
 * listed as new; the parent's own op settings are not "removed" by a different op, so they are
 * only compared when both steps ran the same op.
 */
export function diffSteps(parent: DiffableStep, child: DiffableStep): StepDiff {
	const rows: DiffRow[] = []
	const row = (key: string, label: string, from: unknown, to: unknown) => {
		const a = show(from)
		const b = show(to)
		if (a !== b) rows.push({ key, label, from: a, to: b })
	}
	row('negativePrompt', 'Avoid', parent.negativePrompt, child.negativePrompt)
	row('seed', 'Seed', parent.seed, child.seed)
	const keys = new Set(Object.keys(child.params))
	if (parent.op === child.op) for (const key of Object.keys(parent.params)) keys.add(key)
	for (const key of [...keys].sort()) {
		if (OWN_ROWS.has(key)) continue
		row(key, PARAM_LABELS[key] ?? key, parent.params[key], child.params[key])
	}
	row('size', 'Size', `${parent.width} × ${parent.height}`, `${child.width} × ${child.height}`)
	const before = parent.prompt
	const after = child.prompt
	const promptShown = before !== undefined && after !== undefined
	const promptChanged = promptShown && tokens(before).join(' ') !== tokens(after).join(' ')
	return {
		step: opLabel(child.op, child.params),
		prompt: promptChanged ? wordDiff(before, after) : null,
		promptShown,
		rows,
	}
}
