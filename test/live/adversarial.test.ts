/**
 * 500 adversarial values on a live Elasticsearch: exact and wildcard predicates built from them
 * (through the Query DSL backend) select exactly the documents the evaluator selects.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toQuery } from '../../src/backends/esdsl/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { match, regex, type Field, type Node } from '../../src/ir/nodes.js';
import { ANY_RUN, ONE_CHAR, exactPattern, literalPart, makePattern, type Pattern, type PatternPart } from '../../src/ir/pattern.js';
import { disagreements, formatDisagreements, hitIds, indexEvents, type LabelledEvent } from '../../src/live/check.js';
import { adversarialPattern, adversarialString } from '../support/arbitraries.js';
import { esClient, LIVE, requireNodeInCi, uniqueIndex } from '../support/live.js';

requireNodeInCi();

const INDEX = uniqueIndex('siemc-live-adversarial');
const FIELD: Field = { name: 'value', type: 'keyword' };
const SEED = 20261128;

/** Values: random adversarial strings, plus case variants of some, so case-insensitive predicates have work to do. */
const values: string[] = fc.sample(adversarialString, { numRuns: 400, seed: SEED });
values.push(...values.slice(0, 100).map((v, i) => (i % 2 === 0 ? v.toUpperCase() : v.toLowerCase())));
const docs: LabelledEvent[] = values.map((v, i) => ({ id: `v${i}`, name: JSON.stringify(v), event: { value: v } }));

/** A pattern derived from a value: some characters become `?` or `*`, so it matches at least that value. */
function derived(value: string, rng: () => number): Pattern {
  const parts: PatternPart[] = [];
  for (const ch of value) {
    const r = Math.floor(rng() * 10);
    parts.push(r === 0 ? ONE_CHAR : r === 1 ? ANY_RUN : literalPart(ch));
  }
  return makePattern(parts);
}

/** A small seeded PRNG, so the derived patterns are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!LIVE)('adversarial values on a live Elasticsearch', () => {
  beforeAll(async () => {
    await indexEvents(esClient(), INDEX, [FIELD], docs);
  });
  afterAll(async () => {
    await esClient().indices.delete({ index: INDEX, ignore_unavailable: true });
  });

  const rng = mulberry32(SEED);
  const predicates: { name: string; patterns: Pattern[]; ci: boolean }[] = [];
  values.slice(0, 120).forEach((v, i) => {
    predicates.push({ name: `exact ${JSON.stringify(v)}`, patterns: [exactPattern(v)], ci: i % 2 === 1 });
    predicates.push({ name: `derived from ${JSON.stringify(v)}`, patterns: [derived(v, rng)], ci: i % 3 === 0 });
  });
  fc.sample(adversarialPattern, { numRuns: 60, seed: SEED + 1 }).forEach((p, i) =>
    predicates.push({ name: `random pattern #${i}`, patterns: [p], ci: i % 2 === 0 }),
  );
  // Lists: exact values with case variants and a wildcard mixed in.
  for (let i = 0; i < 20; i++) {
    const picks = [values[i * 3] ?? '', values[i * 3 + 1] ?? '', values[i * 3 + 2] ?? ''];
    predicates.push({ name: `list #${i}`, patterns: picks.map(exactPattern), ci: i % 2 === 0 });
  }

  it(`${predicates.length} predicates over ${docs.length} values: Elasticsearch hits equal the evaluator's`, async () => {
    const failures: string[] = [];
    let totalHits = 0;
    for (const p of predicates) {
      const node = match(FIELD, p.patterns, p.ci);
      const hits = await hitIds(esClient(), INDEX, { query: toQuery(node) });
      totalHits += hits.size;
      const diff = disagreements(docs, (d) => evaluate(node, d.event), hits);
      if (diff.length > 0) failures.push(formatDisagreements(`${p.name}${p.ci ? ' (ignoring case)' : ''} ${JSON.stringify(toQuery(node))}`, diff));
    }
    expect(failures.join('\n\n')).toBe('');
    expect(totalHits).toBeGreaterThan(predicates.length / 2);
  });

  it('regexes (portable subset, with and without case) select what the evaluator selects', async () => {
    const sources = ['.*[a-c].*', '[A-Z]+', '.*(?:x|y)z?.*', 'a.*', '.*[#@&<>~"].*', '.*\\\\.*', '.*[^a-zA-Z0-9 ].*', '[0-9]{1,3}.*', '.*\\*.*', '.*é.*', '[(?:]x', '.*[#@"].*'];
    const failures: string[] = [];
    for (const source of sources) {
      for (const ci of [false, true]) {
        const node: Node = regex(FIELD, source, ci);
        const hits = await hitIds(esClient(), INDEX, { query: toQuery(node) });
        const diff = disagreements(docs, (d) => evaluate(node, d.event), hits);
        if (diff.length > 0) failures.push(formatDisagreements(`${source}${ci ? ' (ignoring case)' : ''} ${JSON.stringify(toQuery(node))}`, diff));
      }
    }
    expect(failures.join('\n\n')).toBe('');
  });
});
