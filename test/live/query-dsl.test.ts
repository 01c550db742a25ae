/**
 * Every rule's Query DSL snapshot, run on a real Elasticsearch over the rule's test events
 * (and the reference rule's independent edge cases), selects exactly what the evaluator selects.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { normalize } from '../../src/ir/normalize.js';
import { disagreements, formatDisagreements, hitIds, indexEvents } from '../../src/live/check.js';
import { esClient, esVersion, LIVE, requireNodeInCi, ruleEvents, uniqueIndex } from '../support/live.js';
import { projectRules, REPO_DIR } from '../support/rules.js';

requireNodeInCi();

describe.skipIf(!LIVE)('Query DSL snapshots on a live Elasticsearch', async () => {
  const rules = await projectRules();
  const run = uniqueIndex('siemc-live-dsl');
  const indexOf = (id: string) => `${run}-${id}`;

  beforeAll(async () => {
    console.log(`live Elasticsearch ${await esVersion()} at ${process.env.ES_URL}`);
  });
  afterAll(async () => {
    for (const r of rules) await esClient().indices.delete({ index: indexOf(r.id), ignore_unavailable: true });
  });

  for (const rule of rules) {
    it(`${rule.name}: hits equal the evaluator's verdicts on every event`, async () => {
      const query = normalize(rule.query);
      const events = ruleEvents(rule);
      await indexEvents(esClient(), indexOf(rule.id), fieldsOf(query), events);
      const body = JSON.parse(readFileSync(`${REPO_DIR}snapshots/${rule.id}/esdsl.json`, 'utf8')) as { query: unknown };
      const hits = await hitIds(esClient(), indexOf(rule.id), body);
      const diff = disagreements(events, (e) => evaluate(query, e.event), hits);
      expect(diff, formatDisagreements(`${rule.id} esdsl.json`, diff)).toEqual([]);
      expect(hits.size).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(!LIVE)('siemc smoke', () => {
  it('reports 0 disagreements for every rule and cleans up its index', async () => {
    const { siemc } = await import('../support/cli.js');
    const r = siemc(['smoke', '--es', process.env.ES_URL ?? '']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 disagreements/);
    const left = await esClient().cat.indices({ index: 'siemc-smoke-*', format: 'json' });
    expect(left).toEqual([]);
  });
});
