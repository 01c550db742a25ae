/**
 * KQL lexical rules, after Kibana's grammar (`packages/kbn-es-query/src/kuery/grammar/grammar.peggy`):
 * quoted strings, unquoted wildcard values and field names.
 *
 * Facts this module relies on (target-semantics.md §3, and the grammar itself):
 * - Quoted strings read `\\` and `\"` as escapes, and also `\t \r \n` and `\uXXXX`; a backslash
 *   before anything else stays a backslash. So every backslash is doubled: `\\t` is a backslash
 *   and a `t`, never a tab. Elasticsearch's own lexer (x-pack-kql) has no `\\` escape and takes
 *   `\"` as an escaped quote where it can, so a final backslash is written `\u005C` instead.
 * - Unquoted values must escape `\ ( ) : < > " * { }`; a backslash before any other character is
 *   a syntax error, except `\t \r \n`, `\uXXXX` and the keyword escapes `\or \and \not`.
 * - Unquoted values end before a keyword: `or`/`and` with whitespace on both sides, or `not`
 *   followed by whitespace (case-insensitive). Kibana tries `\n` (newline) before `\not`, so a
 *   lower-case `not` is escaped as `\u006Eot` instead.
 * - Kibana trims an unquoted value, and marks its `*` wildcards with the text `@kuery-wildcard@`
 *   before splitting on it: the backend rewrites patterns those two rules would change.
 */

import { isInvisible } from '../../util/invisible.js';

/** The text Kibana's parser substitutes for each unquoted `*` before splitting the value on it. */
export const KIBANA_WILDCARD_MARKER = '@kuery-wildcard@';

/** Characters with a meaning in unquoted values (the grammar's `SpecialCharacter`). */
const UNQUOTED_SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);

// Characters written as `\uXXXX` in quoted and unquoted text alike: src/util/invisible.ts (a NUL
// would also make git treat the snapshot as binary). All of them are in the BMP, so one `\uXXXX`
// writes each.

function hex4(cp: number): string {
  return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The escape for tab, newline, carriage return and invisible characters; undefined for the rest. */
function whitespaceOrInvisible(ch: string): string | undefined {
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  const cp = ch.codePointAt(0) ?? 0;
  return isInvisible(cp) ? hex4(cp) : undefined;
}

/**
 * A double-quoted KQL string: an exact value, in which `*` is literal.
 *
 * A backslash that ends the value is written `\u005C`, not `\\`: Elasticsearch's own KQL lexer
 * has no `\\` escape and reads `\"` as an escaped quote wherever that makes a longer string, so
 * `"a\\" or "b"` would be one string running to the next quote (HTTP 400 or a different value).
 * Elsewhere `\\` is unambiguous and easier to read.
 */
export function kqlQuoted(value: string): string {
  let out = '"';
  const chars = Array.from(value);
  chars.forEach((ch, i) => {
    if (ch === '\\' && i === chars.length - 1) out += hex4(0x5c);
    else if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else out += whitespaceOrInvisible(ch) ?? ch;
  });
  return `${out}"`;
}

/**
 * How many characters of a keyword start at `i` and must be escaped, or 0. `before`/`after`
 * stand for what surrounds the text: a space at the ends of a value (a separator or a newline
 * follows it in our output; at the start this only over-escapes, which is harmless), `*` next
 * to a wildcard. The only whitespace we write raw is the space, so it is the only `Space` the
 * grammar can see.
 */
function keywordAt(text: string, i: number, before: string, after: string): number {
  const prev = i === 0 ? before : text[i - 1];
  const next = (n: number): string | undefined => (i + n >= text.length ? after : text[i + n]);
  // Same test as the grammar's case-insensitive literals: input.substr(...).toLowerCase() === word.
  const word = (n: number): string => text.slice(i, i + n).toLowerCase();
  if (word(3) === 'not' && next(3) === ' ') return 3;
  if (word(3) === 'and' && prev === ' ' && next(3) === ' ') return 3;
  if (word(2) === 'or' && prev === ' ' && next(2) === ' ') return 2;
  return 0;
}

function escapeKeyword(word: string): string {
  // `\n` is read as a newline before `\not` is tried, so a lower-case `n` goes by code point.
  return word.startsWith('n') ? `${hex4(0x6e)}${word.slice(1)}` : `\\${word}`;
}

/**
 * Literal text inside an unquoted value. `atStart`/`atEnd` say whether it begins or ends the
 * value (rather than touching a `*`), which decides whether a keyword next to it is a keyword.
 */
export function kqlUnquotedLiteral(text: string, atStart: boolean, atEnd: boolean): string {
  const before = atStart ? ' ' : '*';
  const after = atEnd ? ' ' : '*';
  let out = '';
  let i = 0;
  while (i < text.length) {
    const keyword = keywordAt(text, i, before, after);
    if (keyword > 0) {
      out += escapeKeyword(text.slice(i, i + keyword));
      i += keyword;
      continue;
    }
    // One code point; a lone surrogate is one unit, and is escaped as invisible.
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    out += UNQUOTED_SPECIAL.has(ch) ? `\\${ch}` : (whitespaceOrInvisible(ch) ?? ch);
    i += ch.length;
  }
  return out;
}

const PLAIN_FIELD = /^[A-Za-z_@][A-Za-z0-9_@.-]*$/;
const RESERVED_WORDS = new Set(['or', 'and', 'not', 'true', 'false', 'null']);

/**
 * A field name: bare when it is an ordinary dotted name, else quoted (a quoted field name is
 * read literally: no field wildcards, no keywords, no `true`/`null` literals).
 */
export function kqlField(name: string): string {
  return PLAIN_FIELD.test(name) && !RESERVED_WORDS.has(name.toLowerCase()) ? name : kqlQuoted(name);
}
