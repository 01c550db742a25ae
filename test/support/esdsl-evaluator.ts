/**
 * An evaluator for the Query DSL the esdsl backend writes (bool, term, terms, wildcard, exists),
 * written from Elasticsearch's documented behaviour on keyword fields, not from the backend:
 * `term`/`terms` compare the whole value, `case_insensitive` folds ASCII letters (a live test
 * found that), `wildcard` reads Lucene's WildcardQuery syntax (`*`, `?`, `\` escaping the next
 * character), `bool` is filter AND must_not-none AND (should, at least minimum_should_match).
 * It reads the JSON text, so the output's own escaping is what it sees. The live tests check the
 * same outputs on a real node.
 */
import { globMatches } from '../../src/eval/glob.js';
import { asKeyword, fieldValues, type Json } from '../../src/eval/values.js';
import { ANY_RUN, ONE_CHAR, exactPattern, literalPart, makePattern, type Pattern } from '../../src/ir/pattern.js';

type Q = { readonly [key: string]: unknown };

/** Lucene WildcardQuery syntax: `*`, `?`, and `\` escaping the next character. */
export function readLuceneWildcard(text: string): Pattern {
  const chars = Array.from(text);
  const parts: Pattern[number][] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\\') parts.push(literalPart(chars[++i] ?? ''));
    else if (ch === '*') parts.push(ANY_RUN);
    else if (ch === '?') parts.push(ONE_CHAR);
    else parts.push(literalPart(ch));
  }
  return makePattern(parts);
}

function only(q: Q, what: string): [string, unknown] {
  const entries = Object.entries(q);
  if (entries.length !== 1) throw new Error(`${what}: expected one key, got ${Object.keys(q).join(', ')}`);
  return entries[0] as [string, unknown];
}

/** The patterns a leaf query matches with, and whether it ignores case; undefined for exists. */
export function leafPatterns(query: Q): { field: string; patterns: Pattern[]; ci: boolean } | undefined {
  const [kind, body] = only(query, 'query');
  if (kind === 'exists') return undefined;
  const [field, spec] = only(body as Q, kind);
  if (kind === 'terms') return { field, patterns: (spec as string[]).map(exactPattern), ci: false };
  const { value, case_insensitive: ci } = spec as { value: string; case_insensitive?: boolean };
  if (kind === 'term') return { field, patterns: [exactPattern(value)], ci: ci === true };
  if (kind === 'wildcard') return { field, patterns: [readLuceneWildcard(value)], ci: ci === true };
  throw new Error(`unsupported query ${kind}`);
}

export function evaluateQueryDsl(query: Q, event: Json): boolean {
  const [kind, body] = only(query, 'query');
  if (kind === 'bool') {
    const b = body as { filter?: Q[]; must_not?: Q[]; should?: Q[]; minimum_should_match?: number };
    const filter = (b.filter ?? []).every((q) => evaluateQueryDsl(q, event));
    const mustNot = (b.must_not ?? []).some((q) => evaluateQueryDsl(q, event));
    const should = b.should ?? [];
    const wanted = b.minimum_should_match ?? (should.length > 0 && b.filter === undefined ? 1 : 0);
    const shouldOk = should.filter((q) => evaluateQueryDsl(q, event)).length >= wanted;
    return filter && !mustNot && shouldOk;
  }
  if (kind === 'exists') return fieldValues(event, (body as { field: string }).field).length > 0;
  const leaf = leafPatterns(query) as { field: string; patterns: Pattern[]; ci: boolean };
  return fieldValues(event, leaf.field).some((v) => leaf.patterns.some((p) => globMatches(p, asKeyword(v), leaf.ci)));
}

/** Every value (as a pattern) the query's leaves match on `field`, in order. */
export function valuesOf(query: Q, field: string): Pattern[] {
  const [kind, body] = only(query, 'query');
  if (kind === 'bool') {
    const b = body as { [key: string]: unknown };
    return ['filter', 'should', 'must_not'].flatMap((k) => ((b[k] as Q[] | undefined) ?? []).flatMap((q) => valuesOf(q, field)));
  }
  const leaf = leafPatterns(query);
  return leaf !== undefined && leaf.field === field ? leaf.patterns : [];
}
