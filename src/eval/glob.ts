/**
 * Whole-value glob matching over code points, with optional case-insensitivity.
 * `oneChar` matches exactly one code point, as Lucene's wildcard automaton does.
 */
import type { Pattern } from '../ir/pattern.js';

type Token = { readonly any: true } | { readonly any: false; readonly one: boolean; readonly cp: number };

/** Case-insensitive equality of two code points: equal, or equal after single-code-point lower- or upper-casing. */
export function sameIgnoringCase(a: number, b: number): boolean {
  if (a === b) return true;
  const sa = String.fromCodePoint(a);
  const sb = String.fromCodePoint(b);
  return sa.toLowerCase() === sb.toLowerCase() || sa.toUpperCase() === sb.toUpperCase();
}

function tokens(pattern: Pattern): Token[] {
  const out: Token[] = [];
  for (const part of pattern) {
    if (part.kind === 'anyRun') out.push({ any: true });
    else if (part.kind === 'oneChar') out.push({ any: false, one: true, cp: 0 });
    else for (const ch of part.text) out.push({ any: false, one: false, cp: ch.codePointAt(0) ?? 0 });
  }
  return out;
}

export function globMatches(pattern: Pattern, value: string, caseInsensitive: boolean): boolean {
  const pat = tokens(pattern);
  const text = Array.from(value, (ch) => ch.codePointAt(0) ?? 0);
  const same = caseInsensitive ? sameIgnoringCase : (a: number, b: number) => a === b;
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
