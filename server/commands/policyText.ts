/**
 * Letters of other scripts that look like Latin ones, folded to the Latin letter (after
 * lowercasing). A hand-picked subset of Unicode's confusables.txt: the Cyrillic, Greek and
 * Armenian lowercase letters a prompt can swap in for a Latin one without a reader noticing.
 * Digits and punctuation are left alone — "g0re" is a spelling, not a disguise.
 */
const CONFUSABLES: Record<string, string> = {
	// Cyrillic
	а: 'a',
	в: 'b',
	ь: 'b',
	с: 'c',
	ԁ: 'd',
	е: 'e',
	һ: 'h',
	н: 'h',
	і: 'i',
	ӏ: 'l',
	ј: 'j',
	к: 'k',
	м: 'm',
	п: 'n',
	о: 'o',
	р: 'p',
	ԛ: 'q',
	г: 'r',
	ѕ: 's',
	т: 't',
	у: 'y',
	ү: 'y',
	ԝ: 'w',
	х: 'x',
	// Greek
	α: 'a',
	β: 'b',
	ε: 'e',
	η: 'n',
	ι: 'i',
	κ: 'k',
	ν: 'v',
	ο: 'o',
	ρ: 'p',
	ς: 'c',
	τ: 't',
	υ: 'u',
	χ: 'x',
	γ: 'y',
	ω: 'w',
	// Armenian
	հ: 'h',
	ո: 'n',
	օ: 'o',
	ս: 'u',
	զ: 'q',
	// Latin look-alikes NFKC keeps
	ı: 'i',
	ȷ: 'j',
	ɑ: 'a',
	ɡ: 'g',
	ɩ: 'i',
	ʋ: 'u',
}
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu')

/**
 * Invisible characters: zero-width spaces and joiners, soft hyphens, bidi controls, word joiners
 * (Unicode's format category). Variation selectors and the combining grapheme joiner are marks,
 * stripped with the accents.
 */
const INVISIBLE = /\p{Cf}/gu
const MARKS = /\p{M}/gu

/**
 * Text as the prompt policy compares it: compatibility forms folded (NFKC: fullwidth and
 * mathematical letters, ligatures, Roman numerals), invisible characters dropped, accents and
 * other combining marks stripped, lowercased, and look-alike letters of other scripts folded to
 * Latin. A rule is normalized the same way, so "gore" also matches "ｇ\u200bо́re".
 *
 * @example normalizeForPolicy('Ｃаfé\u00ad') // 'cafe'
 */
export function normalizeForPolicy(text: string): string {
	return text
		.normalize('NFKC')
		.replace(INVISIBLE, '')
		.normalize('NFD')
		.replace(MARKS, '')
		.toLowerCase()
		.replace(CONFUSABLE, (c) => CONFUSABLES[c] ?? c)
		.normalize('NFC')
}
