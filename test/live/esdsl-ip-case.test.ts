/**
 * A case-insensitive match on an ip field (Sigma `IpAddress: '::1'` imports as one on ECS
 * source.ip): Elasticsearch refuses `case_insensitive` on ip fields, which failed the whole search
 * (found by test/corpora/sigma-differential.test.ts). The term is written without the flag; an
 * address has no case to fold.
 */
import { describe, expect, it } from 'vitest';
import { toQuery } from '../../src/backends/esdsl/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { match, or, type Field } from '../../src/ir/nodes.js';
import { exactPattern } from '../../src/ir/pattern.js';
import { hitIds, type LabelledEvent } from '../../src/live/check.js';
import { esClient, LIVE, requireNodeInCi, useIndex, uniqueIndex } from '../support/live.js';

const INDEX = uniqueIndex('siemc-live-esdsl-ip-case');

requireNodeInCi();

const ip: Field = { name: 'source.ip', type: 'ip' };
const query = or([match(ip, [exactPattern('::1'), exactPattern('127.0.0.1')], true), match({ name: 'user.name', type: 'keyword' }, [exactPattern('ADMIN')], true)]);
const events: LabelledEvent[] = [
  { id: 'v6', name: 'loopback v6', event: { source: { ip: '::1' } } },
  { id: 'v4', name: 'loopback v4', event: { source: { ip: '127.0.0.1' } } },
  { id: 'other', name: 'other address', event: { source: { ip: '10.1.2.3' } } },
  { id: 'user', name: 'user ignores case', event: { user: { name: 'admin' } } },
];

it('writes no case_insensitive flag on an ip field', () => {
  expect(JSON.stringify(toQuery(query))).not.toMatch(/"source\.ip":\{"case_insensitive"|"case_insensitive":true,"value":"::1"/);
  expect(toQuery(match(ip, [exactPattern('::1')], true))).toEqual({ term: { 'source.ip': { value: '::1' } } });
});

describe.skipIf(!LIVE)('a case-insensitive match on an ip field, live', () => {
  useIndex(INDEX, [ip, { name: 'user.name', type: 'keyword' }], events);
  it('runs and selects what the evaluator selects', async () => {
    const hits = await hitIds(esClient(), INDEX, { query: toQuery(query) });
    expect([...hits].sort()).toEqual(events.filter((e) => evaluate(query, e.event)).map((e) => e.id).sort());
  });
});
