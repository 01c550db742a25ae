/**
 * SPL lexical rules: quoted strings, field names, and how a pattern is written as a `search`
 * value. In `search`, `*` is the only wildcard and cannot be escaped, `?` is literal, and
 * values compare ignoring case (target-semantics §4).
 */
import { UNICODE_PAIRED_ASCII_LETTERS, type Pattern } from '../../ir/pattern.js';
import { isInvisible, showInvisible } from '../../util/invisible.js';
import { isAsciiLetter } from '../../util/ascii.js';

/**
 * A double-quoted SPL string, for `search` values and eval literals alike: a backslash is
 * written `\\` and a quote `\"` (target-semantics §4, S4). Nothing else is escaped, so a `*`
 * in a `search` value stays a wildcard: callers decide what may reach here.
 */
export function splString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Characters SPL cannot carry in a quoted value, or not visibly: control characters, bidi
 * controls, zero-width and other invisible characters (src/util/invisible.ts), and the backtick
 * (comments and macros). `search` strings have no escape for them (`*` stands in, and `| where`
 * decides); PCRE writes them as `\x{..}`.
 */
export function isUnsafeChar(ch: string): boolean {
  return isInvisible(ch.codePointAt(0) ?? 0) || ch === '`';
}

/** A field name that needs no quotes in `search`. */
const PLAIN_FIELD = /^@?[A-Za-z_][A-Za-z0-9_.]*$/;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'AS', 'BY', 'LIKE', 'TRUE', 'FALSE', 'NULL']);

/** True when SPL has no way to write the name (quotes, backslashes or control characters in it). */
export function unquotableField(name: string): boolean {
  return [...name].some((ch) => ch === '"' || ch === "'" || ch === '\\' || isUnsafeChar(ch));
}

/** A field name in `search`: bare when it is an identifier path, else double-quoted. */
export function searchField(name: string): string {
  return PLAIN_FIELD.test(name) && !KEYWORDS.has(name.toUpperCase()) ? name : splString(name);
}

/** A field name in an eval expression (`where`): always single-quoted, so dots read as part of the name. */
export function whereField(name: string): string {
  return `'${name.replace(/[\\']/g, '\\$&')}'`;
}

/**
 * True when `search` reads the character exactly as the IR does: printable ASCII other than
 * `*`; letters only when the IR ignores case too and no Unicode folding can reach them.
 */
function searchReadsExactly(ch: string, caseInsensitive: boolean): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp >= 0x80 || ch === '*' || isUnsafeChar(ch)) return false;
  if (!isAsciiLetter(ch)) return true;
  return caseInsensitive && !UNICODE_PAIRED_ASCII_LETTERS.has(ch);
}

export interface SearchValue {
  /** The quoted value. */
  readonly text: string;
  /** True when `search` matches exactly the values the IR pattern matches; else it matches more. */
  readonly exact: boolean;
}

/**
 * A pattern as a quoted `search` value. What search cannot say is widened, never narrowed, so
 * the value always matches at least what the pattern matches: `?` becomes `*`, a literal `*`
 * stays `*` (a wildcard), an unsafe character becomes `*`, and case is ignored.
 */
export function searchValue(pattern: Pattern, caseInsensitive: boolean): SearchValue {
  let exact = true;
  let body = '';
  for (const part of pattern) {
    if (part.kind === 'anyRun') body += '*';
    else if (part.kind === 'oneChar') {
      body += '*';
      exact = false;
    } else {
      for (const ch of part.text) {
        if (!searchReadsExactly(ch, caseInsensitive)) exact = false;
        body += ch === '\\' ? '\\\\' : ch === '"' ? '\\"' : isUnsafeChar(ch) ? '*' : ch;
      }
    }
  }
  return { text: `"${body}"`, exact };
}

/** A number as SPL reads it (JavaScript's shortest round-trip form). */
export function splNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** Values of `index=` / `sourcetype=`: bare when they are plain words (wildcards allowed), else quoted. */
export function searchWord(value: string): string {
  return /^[A-Za-z0-9_*-]+$/.test(value) ? value : splString(value);
}

/** A label as an SPL comment (three backticks each side): a backtick cannot end it, invisible characters show as `<U+202E>`. */
export function splComment(label: string): string {
  return `\`\`\`${showInvisible(label).replace(/`/g, "'")}\`\`\``;
}
