/**
 * Lists of adversarial values on a live Elasticsearch, written as text by the backends and sent
 * as text: values ending in backslashes, quotes, `*`, `?`, whitespace, bidi and zero-width
 * characters and other unicode sit next to each other in one list, where an escaping mistake
 * runs one value into the next (Elasticsearch's `kql` query answered HTTP 400 to
 * `f: ("C:\\Windows\\" or "C:\\Temp\\")` before).
 *  - KQL through Elasticsearch's own `kql` query: exact lists select exactly the evaluator's
 *    documents; wildcard lists what the KQL means given that query's unescaped wildcards.
 *  - Query DSL: the snapshot's JSON text itself is the request body.
 *  - EQL: read with Elasticsearch's grammar (src/frontends/eql) and run as the Query DSL its planner builds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendContext } from '../../src/backends/backend.js';
import { eql } from '../../src/backends/eql/index.js';
import { esdsl, toQuery } from '../../src/backends/esdsl/index.js';
import { kql } from '../../src/backends/kql/index.js';
import type { Rule } from '../../src/dsl/rule.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import { match, type Field, type Node } from '../../src/ir/nodes.js';
import { ANY_RUN, exactPattern, literalPart, makePattern, patternKey, type Pattern } from '../../src/ir/pattern.js';
import { disagreements, formatDisagreements, hitIds, indexEvents, type LabelledEvent } from '../../src/live/check.js';
import { adversarialString } from '../support/arbitraries.js';
import { asElasticsearchKqlQuery, evaluateKql, parseKql } from '../support/kql-tokenizer.js';
import { esClient, LIVE, requireNodeInCi, uniqueIndex } from '../support/live.js';

requireNodeInCi();

const INDEX = uniqueIndex('siemc-live-adversarial-lists');
const FIELD: Field = { name: 'file.directory', type: 'keyword' };
const SEED = 20261201;

const ENDINGS = ['\\', '\\\\', '"', '\\"', '*', '?', ' ', '\t', '\u202e', '\u2066', '\u200b', '\ufeff', 'é', '😀', "'", ')', ':'];
const random = fc.sample(adversarialString, { numRuns: 200, seed: SEED });
const edgy = fc.sample(fc.tuple(adversarialString, fc.constantFrom(...ENDINGS)), { numRuns: 200, seed: SEED + 1 }).map(([s, e]) => `${s}${e}`);
const values = [...new Set(['C:\\Windows\\', 'C:\\Temp\\', 'C:\\Windows', 'C:\\Temp\\"', ...random, ...edgy, ...edgy.slice(0, 50).map((v) => v.toUpperCase())])];
const docs: LabelledEvent[] = values.map((v, i) => ({ id: `v${i}`, name: JSON.stringify(v), event: { file: { directory: v } } }));

/** Lists of 2..6 values taken from the indexed ones, so that each list has hits to get right. */
const exactLists: Pattern[][] = [
  ['C:\\Windows\\', 'C:\\Temp\\'].map(exactPattern),
  ...fc.sample(fc.uniqueArray(fc.constantFrom(...values), { minLength: 2, maxLength: 6 }), { numRuns: 60, seed: SEED + 2 }).map((vs) => vs.map(exactPattern)),
];
/** Wildcard lists: a value's start or end cut off by `*` (KQL has no `?`), next to exact values. */
const wildcardLists: Pattern[][] = fc
  .sample(fc.uniqueArray(fc.tuple(fc.constantFrom(...values), fc.nat(3)), { minLength: 2, maxLength: 5, selector: ([v]) => v }), { numRuns: 40, seed: SEED + 3 })
  .map((picks) =>
    picks.map(([v, how]) => {
      const cps = Array.from(v);
      const half = Math.floor(cps.length / 2);
      if (how === 0) return exactPattern(v);
      return how === 1
        ? makePattern([literalPart(cps.slice(0, half).join('').trimStart()), ANY_RUN])
        : makePattern([ANY_RUN, literalPart(cps.slice(half).join('').trimEnd())]);
    }),
  )
  .map((ps) => [...new Map(ps.map((p) => [patternKey(p), p])).values()]);

const RULE = { id: 'live-lists', name: 'live lists', index: ['logs-*'], tests: [] } as unknown as Rule;
function text(backend: Backend, node: Node): string {
  const context: BackendContext = { rule: RULE, config: {}, approximate: () => {} };
  return backend.compile(node, context);
}

async function rawSearch(body: string): Promise<Set<string>> {
  const res = (await esClient().transport.request(
    { method: 'POST', path: `/${INDEX}/_search`, querystring: { size: 10_000, _source: false }, body },
    { headers: { 'content-type': 'application/json' } },
  )) as { hits: { hits: { _id: string }[] } };
  return new Set(res.hits.hits.map((h) => h._id));
}

describe.skipIf(!LIVE)('lists of adversarial values on a live Elasticsearch', () => {
  beforeAll(async () => {
    await indexEvents(esClient(), INDEX, [FIELD], docs);
  });
  afterAll(async () => {
    await esClient().indices.delete({ index: INDEX, ignore_unavailable: true });
  });

  it(`KQL through Elasticsearch's kql query: ${exactLists.length} exact lists select exactly the evaluator's documents`, async () => {
    const failures: string[] = [];
    let hitsTotal = 0;
    for (const ps of exactLists) {
      const node = match(FIELD, ps, false);
      const kqlText = text(kql, node);
      let hits: Set<string>;
      try {
        hits = await hitIds(esClient(), INDEX, { query: { kql: { query: kqlText } } });
      } catch (e) {
        failures.push(`${kqlText}: ${(e as Error).message.slice(0, 300)}`);
        continue;
      }
      hitsTotal += hits.size;
      const diff = disagreements(docs, (d) => evaluate(node, d.event), hits);
      if (diff.length > 0) failures.push(formatDisagreements(kqlText, diff));
    }
    expect(failures.join('\n\n')).toBe('');
    expect(hitsTotal).toBeGreaterThanOrEqual(exactLists.length * 2);
  });

  it(`KQL through Elasticsearch's kql query: ${wildcardLists.length} lists with wildcards select what the KQL means there`, async () => {
    const failures: string[] = [];
    for (const ps of wildcardLists) {
      const kqlText = text(kql, match(FIELD, ps, false));
      const meaning = asElasticsearchKqlQuery(parseKql(kqlText));
      try {
        const hits = await hitIds(esClient(), INDEX, { query: { kql: { query: kqlText } } });
        const diff = disagreements(docs, (d) => evaluateKql(meaning, d.event), hits);
        if (diff.length > 0) failures.push(formatDisagreements(kqlText, diff));
      } catch (e) {
        failures.push(`${kqlText}: ${(e as Error).message.slice(0, 300)}`);
      }
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('Query DSL: the JSON text of the output, sent as the request body, selects exactly the evaluator\'s documents', async () => {
    const failures: string[] = [];
    for (const [i, ps] of [...exactLists, ...wildcardLists].entries()) {
      const node = match(FIELD, ps, i % 2 === 1);
      const body = text(esdsl, node);
      const hits = await rawSearch(body);
      const diff = disagreements(docs, (d) => evaluate(node, d.event), hits);
      if (diff.length > 0) failures.push(formatDisagreements(body, diff));
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('EQL: the text reads back under Elasticsearch\'s grammar and its planned query selects exactly the evaluator\'s documents', async () => {
    const failures: string[] = [];
    for (const [i, ps] of [...exactLists, ...wildcardLists].entries()) {
      const node = match(FIELD, ps, i % 2 === 1);
      const eqlText = text(eql, node);
      const hits = await hitIds(esClient(), INDEX, { query: toQuery(parseEql(eqlText)) });
      const diff = disagreements(docs, (d) => evaluate(node, d.event), hits);
      if (diff.length > 0) failures.push(formatDisagreements(eqlText, diff));
    }
    expect(failures.join('\n\n')).toBe('');
  });
});
