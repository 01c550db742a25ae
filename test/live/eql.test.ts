/**
 * EQL cannot run here (the EQL plugin is not published on Maven Central), so EQL is checked
 * through the Query DSL that Elasticsearch's EQL planner builds: each EQL text is parsed with
 * Elasticsearch's semantics (src/frontends/eql), planned into Query DSL by the planner's table
 * (docs: live-elasticsearch.md; the esdsl backend implements the same table), and run live.
 * Both our EQL snapshot and the original rule text must select exactly the evaluator's events.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toQuery } from '../../src/backends/esdsl/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { normalize } from '../../src/ir/normalize.js';
import { disagreements, formatDisagreements, hitIds } from '../../src/live/check.js';
import { esClient, LIVE, requireNodeInCi, ruleEvents, useIndex, uniqueIndex } from '../support/live.js';
import { originalReferenceEql } from '../support/fixtures.js';
import { REPO_DIR, referenceRule } from '../support/rules.js';

requireNodeInCi();

const INDEX = uniqueIndex('siemc-live-eql');
describe.skipIf(!LIVE)('EQL through the Query DSL of the EQL planner, live', async () => {
  const rule = await referenceRule();
  const query = normalize(rule.query);
  const events = ruleEvents(rule);
  useIndex(INDEX, fieldsOf(query), events);

  it.each([
    ['our EQL snapshot', () => readFileSync(`${REPO_DIR}snapshots/${rule.id}/eql.eql`, 'utf8')],
    ['the original rule text (Elastic, v113)', originalReferenceEql],
  ])('%s selects exactly the evaluator\'s events', async (what, text) => {
    const planned = toQuery(parseEql(text()));
    const hits = await hitIds(esClient(), INDEX, { query: planned });
    const diff = disagreements(events, (e) => evaluate(query, e.event), hits);
    expect(diff, formatDisagreements(what, diff)).toEqual([]);
  });
});
