/**
 * Sigma's lexical rules for values and keys (specification 2.x, "Escaping"; pySigma's
 * `SigmaString` parser reads them the same way).
 *
 * In a value `*` is any run and `?` one character. A backslash escapes only `*`, `?` and
 * itself; before any other character, and at the very end, it is an ordinary character. So a
 * literal backslash needs doubling only where the reader would otherwise take it as an escape:
 * right before a wildcard, before a written `\*`, `\?` or `\\`, and (to be safe with readers
 * that append wildcards, as `|endswith`-style modifiers do) at the end. Everywhere else it is
 * written once, which keeps Windows paths readable: `C:\Program Files\\*.exe`.
 */
import { UNICODE_PAIRED_ASCII_LETTERS, type Pattern } from '../../ir/pattern.js';
import { hasInvisible } from '../../util/invisible.js';

type Token = { readonly wildcard: '*' | '?' } | { readonly char: string };

function tokens(pattern: Pattern): Token[] {
  const out: Token[] = [];
  for (const part of pattern) {
    if (part.kind === 'anyRun') out.push({ wildcard: '*' });
    else if (part.kind === 'oneChar') out.push({ wildcard: '?' });
    else for (const ch of part.text) out.push({ char: ch });
  }
  return out;
}

/** True when the token's written form starts with a character a preceding backslash would escape. */
function startsWithEscapable(token: Token | undefined): boolean {
  if (token === undefined) return true; // end of value
  return 'wildcard' in token || token.char === '\\' || token.char === '*' || token.char === '?';
}

/** A pattern as Sigma value text (before YAML quoting). */
export function sigmaValue(pattern: Pattern): string {
  const toks = tokens(pattern);
  let out = '';
  toks.forEach((tok, i) => {
    if ('wildcard' in tok) out += tok.wildcard;
    else if (tok.char === '*' || tok.char === '?') out += `\\${tok.char}`;
    else if (tok.char === '\\') out += startsWithEscapable(toks[i + 1]) ? '\\\\' : '\\';
    else out += tok.char;
  });
  return out;
}

/** A detection key: the field name, then each modifier after a `|`. */
export function sigmaKey(field: string, modifiers: readonly string[]): string {
  return [field, ...modifiers].join('|');
}

/** Characters YAML cannot carry at all in a single-quoted scalar (beyond the invisible ones). */
const NON_CHARACTERS = /[\ufffe\uffff]/u;

/**
 * Single quotes are the Sigma convention; control characters and invisible ones (bidi controls,
 * zero-width characters: src/util/invisible.ts) need double quotes, whose escapes show them.
 */
export function yamlQuoteStyle(text: string): 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' {
  return hasInvisible(text) || NON_CHARACTERS.test(text) ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
}

/**
 * The YAML escape of a character the yaml package leaves raw inside double quotes: it escapes
 * C0 controls only (through JSON.stringify). NEL, LS and PS get their short escapes (left raw,
 * YAML 1.1 readers such as PyYAML, so pySigma, would see line breaks and fold them).
 */
export function yamlEscape(cp: number): string {
  if (cp === 0x85) return '\\N';
  if (cp === 0x2028) return '\\L';
  if (cp === 0x2029) return '\\P';
  if (cp === 0xa0) return '\\_';
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** A name usable in a Sigma condition (`filter_discord_app`): lower-case letters, digits, `_`. */
export function identifier(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}


/**
 * True when ignoring case over all of Unicode (Sigma's "values are case-insensitive", as
 * Splunk applies it) can match a character that ignoring ASCII case only (the IR's meaning,
 * docs/semantics.md) cannot: a non-ASCII character that has another case, or one of the ASCII
 * letters above. test/backends/sigma.test.ts checks this against every code point.
 */
export function foldsBeyondAscii(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return UNICODE_PAIRED_ASCII_LETTERS.has(ch);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch;
}

/** The distinct characters of the patterns' literal text that fold beyond ASCII, sorted (for a stable message). */
export function charsFoldingBeyondAscii(patterns: readonly Pattern[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns)
    for (const part of pattern) {
      if (part.kind !== 'literal') continue;
      for (const ch of part.text) if (foldsBeyondAscii(ch)) found.add((ch.codePointAt(0) ?? 0) < 0x80 ? ch.toLowerCase() : ch);
    }
  return [...found].sort();
}
