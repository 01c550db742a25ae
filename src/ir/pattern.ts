/**
 * A string pattern is a sequence of parts: literal text, `anyRun` (zero or more characters)
 * and `oneChar` (exactly one character). Keeping wildcards structural, rather than as `*` and
 * `?` inside a string, means a literal `*` can never be confused with a wildcard: each backend
 * escapes literal text with its own rules and renders wildcards with its own syntax.
 *
 * Normal form: no empty literal, adjacent literals merged, runs of `anyRun` collapsed to one.
 */
export type PatternPart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'anyRun' }
  | { readonly kind: 'oneChar' };

export type Pattern = readonly PatternPart[];

export const ANY_RUN: PatternPart = Object.freeze({ kind: 'anyRun' });
export const ONE_CHAR: PatternPart = Object.freeze({ kind: 'oneChar' });

export function literalPart(text: string): PatternPart {
  return Object.freeze({ kind: 'literal', text });
}

/** Builds a normalised, frozen pattern from parts. */
export function makePattern(parts: Iterable<PatternPart>): Pattern {
  const out: PatternPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'literal') {
      if (part.text === '') continue;
      if (last?.kind === 'literal') out[out.length - 1] = literalPart(last.text + part.text);
      else out.push(literalPart(part.text));
    } else if (part.kind === 'anyRun') {
      if (last?.kind !== 'anyRun') out.push(ANY_RUN);
    } else {
      out.push(ONE_CHAR);
    }
  }
  return Object.freeze(out);
}

/** An exact value: one literal part (or none, for the empty string). */
export function exactPattern(value: string): Pattern {
  return makePattern([literalPart(value)]);
}

/**
 * Reads glob text the way EQL's `:` does: every `*` and `?` is a wildcard and there is no
 * escape character, so backslashes in Windows paths stay literal.
 */
export function globPattern(glob: string): Pattern {
  const parts: PatternPart[] = [];
  let literal = '';
  for (const ch of glob) {
    if (ch === '*' || ch === '?') {
      parts.push(literalPart(literal));
      literal = '';
      parts.push(ch === '*' ? ANY_RUN : ONE_CHAR);
    } else {
      literal += ch;
    }
  }
  parts.push(literalPart(literal));
  return makePattern(parts);
}

export function isExact(pattern: Pattern): boolean {
  return pattern.every((p) => p.kind === 'literal');
}

/** The literal value of an exact pattern. */
export function exactValue(pattern: Pattern): string {
  return pattern.map((p) => (p.kind === 'literal' ? p.text : '')).join('');
}

/** True when some literal part contains `*` or `?`, which glob syntaxes without escapes cannot write. */
export function hasLiteralGlobChars(pattern: Pattern): boolean {
  return pattern.some((p) => p.kind === 'literal' && /[*?]/.test(p.text));
}

export function hasOneChar(pattern: Pattern): boolean {
  return pattern.some((p) => p.kind === 'oneChar');
}

/**
 * Renders a pattern with caller-chosen wildcard tokens and literal escaping. Every backend
 * that has glob syntax goes through here, so the part walk is written once.
 */
export function renderPattern(
  pattern: Pattern,
  syntax: { readonly anyRun: string; readonly oneChar: string; readonly literal: (text: string) => string },
): string {
  return pattern
    .map((p) => (p.kind === 'literal' ? syntax.literal(p.text) : p.kind === 'anyRun' ? syntax.anyRun : syntax.oneChar))
    .join('');
}

/** A stable key for deduplication and comparison (wildcards cannot collide with literal text). */
export function patternKey(pattern: Pattern): string {
  return JSON.stringify(pattern.map((p) => (p.kind === 'literal' ? p.text : p.kind === 'anyRun' ? 0 : 1)));
}

/** Glob text with `\`-escapes for `*`, `?`, `\` (used in diagnostics and debug output only). */
export function describePattern(pattern: Pattern): string {
  return renderPattern(pattern, { anyRun: '*', oneChar: '?', literal: (t) => t.replace(/[\\*?]/g, '\\$&') });
}

/** Whether ignoring case changes what the pattern matches: only ASCII letters fold (docs/semantics.md). */
export function caseMatters(pattern: Pattern): boolean {
  return pattern.some((p) => p.kind === 'literal' && /[A-Za-z]/.test(p.text));
}

/**
 * Letters outside ASCII that have another case. The IR compares them exactly even when
 * ignoring case; targets that fold all of Unicode (Splunk, Sigma) would also match the other case.
 */
export function hasNonAsciiCasedLetters(pattern: Pattern): boolean {
  return pattern.some((p) => p.kind === 'literal' && /[^\u0000-\u007f]/.test(p.text) && /(?![\u0000-\u007f])[\p{Cased}\p{Changes_When_Casemapped}]/u.test(p.text));
}

/**
 * ASCII letters that Unicode case folding pairs with a non-ASCII character: k/K with the Kelvin
 * sign U+212A, s/S with the long s U+017F, i/I with the dotless i U+0131. Targets that fold all of
 * Unicode treat these differently from the IR, which folds ASCII only.
 */
export const UNICODE_PAIRED_ASCII_LETTERS: ReadonlySet<string> = new Set([...'iIkKsS']);

