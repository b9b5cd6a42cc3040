/**
 * "1 committed pick", "3 committed picks", "0 open comments": a count with its noun in the right
 * number. `many` defaults to `one` + "s"; pass it for irregular nouns ("entry" → "entries").
 *
 * @example plural(2, 'open comment') // '2 open comments'
 */
export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count.toLocaleString('en-US')} ${pluralNoun(count, one, many)}`
}

/** The noun alone, in the number `count` asks for: for a count drawn apart ("<b>2</b> finals"). */
export function pluralNoun(count: number, one: string, many = `${one}s`): string {
	return count === 1 ? one : many
}
