/**
 * Characters a reviewer cannot see in a pull request diff: C0 and C1 controls, bidirectional
 * controls (which reorder what a diff shows: "Trojan Source"), zero-width and other invisible
 * format characters, unusual spaces, and lone surrogates (not writable as UTF-8 at all).
 *
 * Every text target writes them with an escape of its own language (`\uXXXX`, `\u{XX}`,
 * `\x{..}`), and where a target has none, the backend reports it (see each capability table's
 * `match.specialChars` row). The ranges are spelled out rather than taken from Unicode
 * categories so that outputs do not change with the Node version.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x1f], // C0 controls (tab, newline and carriage return included: targets choose their short escapes)
  [0x7f, 0x9f], // DEL and the C1 controls (NEL U+0085 among them)
  [0xa0, 0xa0], // no-break space
  [0xad, 0xad], // soft hyphen
  [0x061c, 0x061c], // Arabic letter mark (a bidi control)
  [0x1680, 0x1680], // Ogham space mark
  [0x180e, 0x180e], // Mongolian vowel separator
  [0x2000, 0x200f], // spaces, zero-width space/non-joiner/joiner, LRM, RLM
  [0x2028, 0x202f], // line and paragraph separators, bidi embeddings and overrides U+202A-202E, narrow no-break space
  [0x205f, 0x206f], // medium space, word joiner U+2060, invisible operators, bidi isolates U+2066-2069
  [0x3000, 0x3000], // ideographic space
  [0xd800, 0xdfff], // lone surrogates
  [0xfeff, 0xfeff], // zero-width no-break space (byte order mark)
  [0xfff9, 0xfffb], // interlinear annotation controls
];

export function isInvisible(cp: number): boolean {
  return INVISIBLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** One invisible code point anywhere in a string (`u` flag: a lone surrogate is one code point). */
export const INVISIBLE = new RegExp(
  `[${INVISIBLE_RANGES.map(([lo, hi]) => (lo === hi ? `\\u{${lo.toString(16)}}` : `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`)).join('')}]`,
  'u',
);
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/** Whether some character of the text is invisible. */
export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text);
}

/** `U+202E`, the way Unicode names a code point. */
export function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces each invisible character with `fn` of its code point. */
export function replaceInvisible(text: string, fn: (cp: number) => string): string {
  return text.replace(INVISIBLE_ALL, (ch) => fn(ch.codePointAt(0) ?? 0));
}

/**
 * Text where meaning does not depend on the characters (comments written from labels): each
 * invisible character becomes `<U+202E>`, so it shows in a diff and cannot reorder the line.
 */
export function showInvisible(text: string): string {
  return replaceInvisible(text, (cp) => `<${codePointName(cp)}>`);
}

/** The distinct invisible characters of the text, named (`U+202E, U+200B`), for messages. */
export function invisibleNames(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(INVISIBLE_ALL), (m) => codePointName(m[0].codePointAt(0) ?? 0)))];
}
