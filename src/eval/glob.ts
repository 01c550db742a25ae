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

/** A list of patterns split for matching many values: patterns without wildcards as one set of strings, the rest as globs. */
interface PreparedList {
  readonly exact: ReadonlySet<string>;
  readonly globs: readonly Token[][];
}

const prepared = new WeakMap<readonly Pattern[], { sensitive?: PreparedList; insensitive?: PreparedList }>();

function prepare(patterns: readonly Pattern[], caseInsensitive: boolean): PreparedList {
  let entry = prepared.get(patterns);
  if (entry === undefined) prepared.set(patterns, (entry = {}));
  const known = caseInsensitive ? entry.insensitive : entry.sensitive;
  if (known !== undefined) return known;
  const exact = new Set<string>();
  const globs: Token[][] = [];
  for (const p of patterns) {
    if (p.every((part) => part.kind === 'literal')) {
      const text = p.map((part) => (part.kind === 'literal' ? part.text : '')).join('');
      exact.add(caseInsensitive ? foldAscii(text) : text);
    } else {
      globs.push(tokens(p));
    }
  }
  const list = { exact, globs };
  if (caseInsensitive) entry.insensitive = list;
  else entry.sensitive = list;
  return list;
}

/**
 * Whether any of the patterns matches the whole value: what `patterns.some((p) => globMatches(p,
 * value, caseInsensitive))` says, without a pass over every pattern (a rule's tests meet lists
 * of hundreds of values for each of their events).
 */
export function anyGlobMatches(patterns: readonly Pattern[], value: string, caseInsensitive: boolean): boolean {
  const list = prepare(patterns, caseInsensitive);
  if (list.exact.size > 0 && list.exact.has(caseInsensitive ? foldAscii(value) : value)) return true;
  if (list.globs.length === 0) return false;
  const text = codePoints(value);
  const same = caseInsensitive ? sameIgnoringCase : sameExactly;
  return list.globs.some((pat) => matchCodePoints(pat, text, same));
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
