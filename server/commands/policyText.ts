import { LATIN_LOOKALIKES } from './latinLookalikes'

/**
 * Look-alikes of Latin letters, folded to the letters they read as: the table generated from
 * Unicode's confusables.txt (`latinLookalikes.ts`), plus what that file does not list.
 */
const FOLD = new Map<string, string>()
for (const [latin, sources] of Object.entries(LATIN_LOOKALIKES))
	for (const source of sources) FOLD.set(source, latin)
// Greek beta, which confusables.txt pairs with ß rather than b.
FOLD.set('β', 'b')
FOLD.set('ϐ', 'b')
const letterRange = (first: number) => {
	for (let i = 0; i < 26; i++)
		FOLD.set(String.fromCodePoint(first + i), String.fromCharCode(97 + i))
}
// Letters NFKC keeps as symbols: regional indicators (🇬🇴🇷🇪 shows as boxed letters outside a
// flag pair), negative circled and negative squared capitals.
letterRange(0x1f1e6)
letterRange(0x1f150)
letterRange(0x1f170)

const fold = (text: string) => Array.from(text, (c) => FOLD.get(c) ?? c).join('')

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
 * other combining marks stripped, lowercased, and look-alikes of Latin letters (confusables.txt:
 * Cyrillic, Greek, Armenian, Cherokee, Lisu, small capitals…) folded to those letters. A rule is normalized the same way, so "gore" also matches "ｇ\u200bо́re".
 *
 * @example normalizeForPolicy('Ｃаfé\u00ad') // 'cafe'
 */
export function normalizeForPolicy(text: string): string {
	const stripped = text.normalize('NFKC').replace(INVISIBLE, '').normalize('NFD').replace(MARKS, '')
	// Folded before lowercasing and after: a capital's lowercase form may read as another letter
	// than the capital (Н is H, н reads as h only through its small-capital look).
	return fold(fold(stripped).toLowerCase()).normalize('NFC')
}
