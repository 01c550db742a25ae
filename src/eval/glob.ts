/**
 * Whole-value glob matching over code points, with optional case-insensitivity.
 * `oneChar` matches exactly one code point, as Lucene's wildcard automaton does.
 */
import type { Pattern } from '../ir/pattern.js';
import { isAsciiLetterCode } from '../util/ascii.js';

type Token = { readonly any: true } | { readonly any: false; readonly one: boolean; readonly cp: number };

/**
 * Case-insensitive equality of two code points, as Elasticsearch implements `case_insensitive`
 * (and so EQL's `:`): only ASCII letters fold; `É` and `é` stay different. The live test
 * (test/live/adversarial.test.ts) found this on a real node; docs/semantics.md states it.
 */
export function sameIgnoringCase(a: number, b: number): boolean {
  return a === b || (isAsciiLetterCode(a) && (a | 0x20) === (b | 0x20) && isAsciiLetterCode(b));
}

// Patterns are frozen and shared, so their token form is computed once.
const tokenCache = new WeakMap<Pattern, Token[]>();

function tokens(pattern: Pattern): Token[] {
  const cached = tokenCache.get(pattern);
  if (cached !== undefined) return cached;
  const out: Token[] = [];
  for (const part of pattern) {
    if (part.kind === 'anyRun') out.push({ any: true });
    else if (part.kind === 'oneChar') out.push({ any: false, one: true, cp: 0 });
    else for (const ch of part.text) out.push({ any: false, one: false, cp: ch.codePointAt(0) ?? 0 });
  }
  tokenCache.set(pattern, out);
  return out;
}

export function globMatches(pattern: Pattern, value: string, caseInsensitive: boolean): boolean {
  return globMatchesWith(pattern, value, caseInsensitive ? sameIgnoringCase : sameExactly);
}

/** The same matcher with another notion of equal characters (target models in tests use their own). */
export function globMatchesWith(pattern: Pattern, value: string, same: (patternChar: number, valueChar: number) => boolean): boolean {
  return matchCodePoints(tokens(pattern), codePoints(value), same);
}

const codePoints = (value: string): number[] => Array.from(value, (ch) => ch.codePointAt(0) ?? 0);
const sameExactly = (a: number, b: number): boolean => a === b;

/** Only ASCII letters fold (sameIgnoringCase), so a folded string compares as the code points would. */
const foldAscii = (text: string): string => text.replace(/[A-Z]+/g, (run) => run.toLowerCase());

/**
 * A pattern whose only wildcards are `anyRun`s, as its literal runs: the value must start with
 * `prefix`, end with `suffix`, and hold each of `middles` in order between them (folded when
 * case-insensitive). Taking each middle at its leftmost place is then exact.
 */
interface StarGlob {
  readonly prefix: string;
  readonly middles: readonly string[];
  readonly suffix: string;
  /** The fewest code units a match has. */
  readonly min: number;
}

/**
 * A list of patterns split for matching many values: patterns without wildcards as one set of
 * strings, the rest as tokens, and those without `oneChar` also as StarGlobs.
 */
interface PreparedList {
  readonly exact: ReadonlySet<string>;
  readonly globs: readonly Token[][];
  /** For every glob, its StarGlob, or undefined when it has a `oneChar`. */
  readonly stars: readonly (StarGlob | undefined)[];
}

const prepared = new WeakMap<readonly Pattern[], { sensitive?: PreparedList; insensitive?: PreparedList }>();

function starGlob(pattern: Pattern, fold: (text: string) => string): StarGlob | undefined {
  if (pattern.some((part) => part.kind === 'oneChar')) return undefined;
  // Literal runs between anyRuns: the first is the prefix, the last the suffix ('' when the pattern starts or ends with one).
  const runs: string[] = [''];
  for (const part of pattern) {
    if (part.kind === 'anyRun') runs.push('');
    else if (part.kind === 'literal') runs[runs.length - 1] += fold(part.text);
  }
  const prefix = runs[0] as string;
  const suffix = runs.length > 1 ? (runs[runs.length - 1] as string) : '';
  const middles = runs.slice(1, -1).filter((m) => m !== '');
  return { prefix, middles, suffix, min: prefix.length + suffix.length + middles.reduce((n, m) => n + m.length, 0) };
}

function starMatches(glob: StarGlob, value: string): boolean {
  if (value.length < glob.min || !value.startsWith(glob.prefix) || !value.endsWith(glob.suffix)) return false;
  const end = value.length - glob.suffix.length;
  let at = glob.prefix.length;
  for (const middle of glob.middles) {
    const found = value.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

function prepare(patterns: readonly Pattern[], caseInsensitive: boolean): PreparedList {
  let entry = prepared.get(patterns);
  if (entry === undefined) prepared.set(patterns, (entry = {}));
  const known = caseInsensitive ? entry.insensitive : entry.sensitive;
  if (known !== undefined) return known;
  const fold = caseInsensitive ? foldAscii : (text: string): string => text;
  const exact = new Set<string>();
  const globs: Token[][] = [];
  const stars: (StarGlob | undefined)[] = [];
  for (const p of patterns) {
    if (p.every((part) => part.kind === 'literal')) {
      exact.add(fold(p.map((part) => (part.kind === 'literal' ? part.text : '')).join('')));
    } else {
      globs.push(tokens(p));
      stars.push(starGlob(p, fold));
    }
  }
  const list = { exact, globs, stars };
  if (caseInsensitive) entry.insensitive = list;
  else entry.sensitive = list;
  return list;
}

/** A surrogate code unit: where code units and code points differ. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether any of the patterns matches the whole value: what `patterns.some((p) => globMatches(p,
 * value, caseInsensitive))` says, without a pass over every pattern (a rule's tests meet lists
 * of hundreds of values for each of their events).
 */
export function anyGlobMatches(patterns: readonly Pattern[], value: string, caseInsensitive: boolean): boolean {
  const list = prepare(patterns, caseInsensitive);
  const folded = caseInsensitive ? foldAscii(value) : value;
  if (list.exact.size > 0 && list.exact.has(folded)) return true;
  if (list.globs.length === 0) return false;
  // Without surrogates in the value its code units are its code points, and a pattern's literal
  // holding one cannot match anywhere in it either way: StarGlobs compare code units. Folding
  // both sides (ASCII letters only) is sameIgnoringCase.
  const units = !SURROGATE.test(value);
  let text: number[] | undefined;
  const same = caseInsensitive ? sameIgnoringCase : sameExactly;
  for (let i = 0; i < list.globs.length; i++) {
    const star = list.stars[i];
    if (units && star !== undefined ? starMatches(star, folded) : matchCodePoints(list.globs[i] as Token[], (text ??= codePoints(value)), same)) return true;
  }
  return false;
}

function matchCodePoints(pat: readonly Token[], text: readonly number[], same: (patternChar: number, valueChar: number) => boolean): boolean {
  // Classic two-pointer matcher with backtracking to the last `anyRun`: O(n * m) worst case.
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const tok = pat[p];
    const ch = text[t] as number;
    if (tok !== undefined && !tok.any && (tok.one || same(tok.cp, ch))) {
      p++;
      t++;
    } else if (tok !== undefined && tok.any) {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pat[p]?.any === true) p++;
  return p === pat.length;
}
