/**
 * Lists of adversarial values and whole adversarial trees, for every target. The per-value
 * property tests check one value at a time; a bug can hide between values (a KQL value ending
 * in a backslash ran into the next one in Elasticsearch's lexer), so here each output is read
 * back with the target's own reader or evaluator from test/support:
 *  - lists read back as exactly the same values, in order, where the target keeps values as
 *    values (Query DSL, KQL, Sigma); EQL and SPL are checked by meaning;
 *  - on events built from witnesses of the patterns (and near misses), every target's reading
 *    of its output selects exactly what the reference evaluator selects on the IR.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Approximation, Backend, BackendContext } from '../../src/backends/backend.js';
import { eql } from '../../src/backends/eql/index.js';
import { esdsl } from '../../src/backends/esdsl/index.js';
import { kql, KQL_CODES } from '../../src/backends/kql/index.js';
import { sigma } from '../../src/backends/sigma/index.js';
import { spl } from '../../src/backends/spl/index.js';
import type { ProjectConfig } from '../../src/config.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import type { Json } from '../../src/eval/values.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import * as ir from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { ANY_RUN, exactPattern, isExact, literalPart, makePattern, patternKey, type Pattern } from '../../src/ir/pattern.js';
import { adversarialChar, adversarialPattern, adversarialString } from '../support/arbitraries.js';
import { evaluateQueryDsl, valuesOf } from '../support/esdsl-evaluator.js';
import { evaluateKql, parseKql, readClause, valuePattern } from '../support/kql-tokenizer.js';
import { referenceRule } from '../support/rules.js';
import { evaluateSigma, parseSigmaRule, readSigmaString } from '../support/sigma-reader.js';
import { splMatches } from '../support/spl-evaluator.js';

let rule: Rule;
beforeAll(async () => {
  rule = await referenceRule();
});

const SPL_CONFIG: ProjectConfig = { splunk: { sources: { 'logs-endpoint.events.network-*': { index: 'test' }, 'logs-*': { index: 'test' } } } };

function compile(backend: Backend, query: ir.Node): { text: string; approximations: Approximation[] } {
  const approximations: Approximation[] = [];
  const context: BackendContext = {
    rule: { ...rule, index: ['logs-*'] },
    config: backend === spl ? SPL_CONFIG : {},
    approximate: (a) => approximations.push(a),
  };
  return { text: backend.compile(normalize(query), context), approximations };
}

const FIELDS: readonly ir.Field[] = [
  { name: 'a', type: 'keyword' },
  { name: 'b', type: 'keyword' },
  { name: 'p.q', type: 'keyword' },
];
const A = FIELDS[0] as ir.Field;
const keys = (ps: readonly Pattern[]): string[] => ps.map(patternKey);

/** Whether a target's reading of its output selects the event (each target's own evaluator). */
type Reader = (text: string) => (event: Json) => boolean;
const READERS: { readonly [target: string]: Reader } = {
  esdsl: (text) => {
    const query = (JSON.parse(text) as { query: { [key: string]: unknown } }).query;
    return (e) => evaluateQueryDsl(query, e);
  },
  eql: (text) => {
    // The EQL frontend reads EQL as Elasticsearch does (lexer from its grammar); the evaluator gives it the IR's meaning.
    const node = parseEql(text, () => 'keyword');
    return (e) => evaluate(node, e);
  },
  kql: (text) => {
    const ast = parseKql(text);
    return (e) => evaluateKql(ast, e);
  },
  spl: (text) => (e) => splMatches(text, e, { index: 'test' }),
  // With the IR's ASCII folding, Sigma means the IR exactly (Unicode folding is SIEMC-A303/A306).
  sigma: (text) => {
    const doc = parseSigmaRule(text);
    return (e) => evaluateSigma(doc, e, { caseFolding: 'ascii' });
  },
};

/** The approximations each target may report on these trees, none of which changes the meaning read here. */
const HARMLESS: { readonly [target: string]: ReadonlySet<string> } = {
  esdsl: new Set(),
  eql: new Set(),
  // SIEMC-A103 is about detection rules (query_string); with field types known the value is exact.
  kql: new Set([KQL_CODES.whitespaceSplit]),
  spl: new Set(),
  sigma: new Set(['SIEMC-A303', 'SIEMC-A306']),
};

const BACKENDS: readonly Backend[] = [esdsl, eql, kql, spl, sigma];

// ---------------------------------------------------------------------------------------------
// Values and events

/**
 * KQL cannot say everything (no `?`, no case-insensitive syntax, trimmed edges, the wildcard
 * marker: each reported, and checked in kql.test.ts); its trees use patterns it can say, so that
 * here the reading must be exact.
 */
function kqlSayable(p: Pattern): Pattern {
  const parts = p.map((part) => (part.kind === 'oneChar' ? ANY_RUN : part));
  if (parts.every((part) => part.kind === 'literal')) return makePattern(parts);
  const trimmed = parts.map((part, i) => {
    if (part.kind !== 'literal') return part;
    let text = part.text.replace(/@/g, '');
    if (i === 0) text = text.replace(/^\s+/, '');
    if (i === parts.length - 1) text = text.replace(/\s+$/, '');
    return literalPart(text);
  });
  return makePattern(trimmed);
}

/** A value matched by the pattern: each wildcard replaced by a filler. */
function witness(pattern: Pattern, fill: readonly string[]): string {
  let i = 0;
  return pattern
    .map((p) => {
      if (p.kind === 'literal') return p.text;
      const f = fill[i++ % Math.max(1, fill.length)] ?? '';
      return p.kind === 'oneChar' ? (Array.from(f)[0] ?? 'x') : f;
    })
    .join('');
}

/** Witnesses of every pattern and near misses: another case, one character more or less. */
function candidates(patterns: readonly Pattern[], fill: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const w = witness(p, fill);
    const cps = Array.from(w);
    out.push(w, w.toUpperCase(), w.toLowerCase(), `${w}x`, cps.slice(0, -1).join(''), cps.slice(1).join(''));
  }
  return out;
}

function patternsOf(node: ir.Node): Pattern[] {
  if (node.kind === 'match') return [...node.patterns];
  if (node.kind === 'and' || node.kind === 'or') return node.children.flatMap(patternsOf);
  if (node.kind === 'not') return patternsOf(node.child);
  return [];
}

/** Events giving each field one of the candidate values, several values, or none. */
function events(pool: readonly string[], picks: readonly number[]): Json[] {
  const at = (i: number): string => pool[i % Math.max(1, pool.length)] ?? '';
  const out: Json[] = [];
  for (let i = 0; i + 3 < picks.length; i += 4) {
    const [x, y, z, shape] = picks.slice(i, i + 4) as [number, number, number, number];
    const event: { [key: string]: Json } = {};
    if (shape % 5 !== 0) event.a = shape % 3 === 0 ? [at(x), at(y)] : at(x);
    if (shape % 7 !== 0) event.b = at(y);
    if (shape % 2 === 0) event.p = { q: at(z) };
    else if (shape % 11 !== 0) event['p.q'] = at(z);
    out.push(event);
  }
  return out;
}

const picks = fc.array(fc.nat(), { minLength: 24, maxLength: 24 });
const fill = fc.array(adversarialString, { minLength: 1, maxLength: 3 });
const valueList = fc.uniqueArray(adversarialPattern, { minLength: 2, maxLength: 8, selector: patternKey });
const exactList = fc.uniqueArray(adversarialString, { minLength: 2, maxLength: 8 }).map((vs) => vs.map(exactPattern));
/** Values ending in a backslash, quote, wildcard or whitespace, next to each other: where list bugs live. */
const edgyList = fc
  .array(fc.tuple(adversarialString, fc.constantFrom('\\', '\\\\', '"', '\\"', '*', '?', ' ', '\t', '\u202e', '\u200b', 'é', "'")), { minLength: 2, maxLength: 6 })
  .map((vs) => [...new Set(vs.map(([s, end]) => `${s}${end}`))].map(exactPattern));

/** How many events the checks saw selected and not selected: the events must exercise both verdicts. */
const seen = { match: 0, noMatch: 0 };

function checkMeaning(backend: Backend, query: ir.Node, evs: readonly Json[]): void {
  const { text, approximations } = compile(backend, query);
  const unexplained = approximations.filter((a) => !(HARMLESS[backend.name] as ReadonlySet<string>).has(a.code));
  expect(unexplained.map((a) => `${a.code} ${a.message}`), text).toEqual([]);
  const reads = (READERS[backend.name] as Reader)(text);
  const normal = normalize(query);
  for (const e of evs) {
    const want = evaluate(normal, e);
    expect(reads(e), `${backend.name}\n${text}\n${JSON.stringify(e)}`).toBe(want);
    seen[want ? 'match' : 'noMatch']++;
  }
}

/** Runs a property and checks that its events were selected often enough, and left out often enough, to mean something. */
function assertBothVerdicts(run: () => void): void {
  seen.match = 0;
  seen.noMatch = 0;
  run();
  const total = seen.match + seen.noMatch;
  expect(seen.match, 'selected events').toBeGreaterThan(total / 10);
  expect(seen.noMatch, 'events left out').toBeGreaterThan(total / 10);
}

// ---------------------------------------------------------------------------------------------

describe('lists of adversarial values read back exactly', () => {
  const lists = fc.oneof(valueList, exactList, edgyList);

  it('Query DSL: every value, in order, through JSON and Lucene wildcard syntax', () => {
    fc.assert(
      fc.property(lists, fc.boolean(), (ps, ci) => {
        const { text } = compile(esdsl, ir.match(A, ps, ci));
        const query = (JSON.parse(text) as { query: { [key: string]: unknown } }).query;
        const back = valuesOf(query, A.name);
        // `terms` gathers the exact values where the first of them was: compare as sets per kind.
        expect(new Set(keys(back))).toEqual(new Set(keys(ps)));
        expect(back).toHaveLength(ps.length);
      }),
      { numRuns: 3_000 },
    );
  });

  it('KQL: every value, in order, under Kibana\'s grammar and where Elasticsearch\'s lexer ends each string', () => {
    fc.assert(
      fc.property(lists, (raw) => {
        const ps = [...new Map(raw.map(kqlSayable).map((p) => [patternKey(p), p])).values()];
        const { text, approximations } = compile(kql, ir.match(A, ps, false));
        expect(approximations.filter((a) => a.code !== KQL_CODES.whitespaceSplit)).toEqual([]);
        const clause = readClause(text);
        expect(clause.field).toBe(A.name);
        expect(keys(clause.values.map(valuePattern))).toEqual(keys(ps));
      }),
      { numRuns: 3_000 },
    );
  });

  it('Sigma: every value, in order, as pySigma\'s string parser reads it', () => {
    fc.assert(
      fc.property(lists, fc.boolean(), (ps, ci) => {
        const { text } = compile(sigma, ir.match(A, ps, ci));
        const doc = parseSigmaRule(text);
        const items = [...doc.selections.values()].flatMap((s) => s.maps.flat()).filter((i) => i.field === A.name);
        expect(items).toHaveLength(1);
        const item = items[0] as (typeof items)[0];
        expect(item.modifiers.includes('cased')).toBe(!ci);
        expect(keys(item.values.map((v) => readSigmaString(String(v))))).toEqual(keys(ps));
      }),
      { numRuns: 3_000 },
    );
  });

  it('EQL: an exact list comes back as the same list from Elasticsearch\'s grammar', () => {
    fc.assert(
      fc.property(fc.oneof(exactList, edgyList), fc.boolean(), (ps, ci) => {
        const { text } = compile(eql, ir.match(A, ps, ci));
        const back = normalize(parseEql(text, () => 'keyword'));
        expect(back.kind).toBe('match');
        if (back.kind !== 'match') return;
        expect(new Set(keys(back.patterns))).toEqual(new Set(keys(ps)));
        expect(back.caseInsensitive).toBe(ci);
      }),
      { numRuns: 3_000 },
    );
  });

  for (const backend of BACKENDS) {
    it(`${backend.name}: a list selects exactly the IR's events (witnesses and near misses)`, () => {
      assertBothVerdicts(() =>
        fc.assert(
          fc.property(lists, fc.boolean(), fill, picks, (raw, ciRaw, f, pk) => {
            const ci = backend === kql ? false : ciRaw;
            const ps = backend === kql ? [...new Map(raw.map(kqlSayable).map((p) => [patternKey(p), p])).values()] : raw;
            checkMeaning(backend, ir.match(A, ps, ci), events(candidates(ps, f), pk));
          }),
          { numRuns: 1_000 },
        ),
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('adversarial trees mean the same in every target', () => {
  const treeOf = (leafPattern: fc.Arbitrary<Pattern>, ci: fc.Arbitrary<boolean>): fc.Arbitrary<ir.Node> => {
    const leaf = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.array(leafPattern, { minLength: 1, maxLength: 4 }), ci).map(([f, ps, c]) => ir.match(f, ps, c)) },
      { weight: 1, arbitrary: fc.constantFrom(...FIELDS).map((f) => ir.exists(f)) },
    );
    return fc.letrec<{ node: ir.Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((cs) => ir.and(cs)),
        fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((cs) => ir.or(cs)),
        tie('node').map((c) => ir.not(c)),
      ),
    })).node;
  };
  const pattern = fc.oneof(adversarialPattern, adversarialString.map(exactPattern), edgyList.map((ps) => ps[0] as Pattern));

  for (const backend of BACKENDS) {
    it(`${backend.name}: and/or/not over leaves with adversarial values select the IR's events`, () => {
      const trees = backend === kql ? treeOf(pattern.map(kqlSayable), fc.constant(false)) : treeOf(pattern, fc.boolean());
      assertBothVerdicts(() =>
        fc.assert(
          fc.property(trees, fill, picks, fc.array(adversarialChar, { maxLength: 4 }), (t, f, pk, extra) => {
            const pool = [...candidates(patternsOf(t), f), extra.join('')];
            checkMeaning(backend, t, events(pool, pk));
          }),
          { numRuns: 1_000 },
        ),
      );
    });
  }

  it('the values of the issue, C:\\Windows\\ and C:\\Temp\\, read back in every target', () => {
    const ps = ['C:\\Windows\\', 'C:\\Temp\\'].map(exactPattern);
    expect(isExact(ps[0] as Pattern)).toBe(true);
    expect(keys(readClause(compile(kql, ir.match(A, ps, false)).text).values.map(valuePattern))).toEqual(keys(ps));
    const evs: Json[] = [{ a: 'C:\\Windows\\' }, { a: 'C:\\Temp\\' }, { a: 'C:\\Windows' }, { a: 'C:\\Temp\\"' }];
    for (const backend of BACKENDS) checkMeaning(backend, ir.match(A, ps, false), evs);
  });
});
