/**
 * pySigma's Lucene conversion of our Sigma snapshot, run live as a query_string query. pySigma
 * is a second implementation: its query must select what our rule means, except for its
 * documented bug of dropping case-insensitivity in Lucene (values are matched as written).
 * So the expectation is the reference evaluator on the rule with every match case-sensitive,
 * and, separately, that this differs from the rule's own verdicts only on case variants.
 */
import { describe, expect, it } from 'vitest';
import { sigma } from '../../src/backends/sigma/index.js';
import { compileRules } from '../../src/compile.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { match } from '../../src/ir/nodes.js';
import { mapLeaves } from '../../src/ir/fold.js';
import { normalize } from '../../src/ir/normalize.js';
import { disagreements, formatDisagreements, hitIds } from '../../src/live/check.js';
import { esClient, LIVE, requireNodeInCi, ruleEvents, useIndex } from '../support/live.js';
import { ensureVenv, pySigma, queries, withoutCased } from '../support/pysigma.js';
import { referenceRule } from '../support/rules.js';

requireNodeInCi();

const INDEX = 'siemc-live-pysigma-lucene';

describe.skipIf(!LIVE)("pySigma's Lucene query of our Sigma rule, live", async () => {
  const missing = ensureVenv();
  const rule = await referenceRule();
  const query = normalize(rule.query);
  const events = ruleEvents(rule);
  useIndex(INDEX, fieldsOf(query), events);

  it('selects what the rule means with case-insensitivity dropped (pySigma Lucene bug), nothing else', async () => {
    expect(missing, 'pySigma venv').toBeUndefined();
    const yaml = compileRules([rule], [sigma]).outputs[0]?.text ?? '';
    // pySigma's Lucene backend refuses `|cased`; without it those values become case-insensitive
    // Sigma values, which its Lucene output matches case-sensitively anyway.
    const [lucene] = queries(pySigma(withoutCased(yaml)).rules[0]?.conversions.lucene ?? { error: 'no rule' });
    const hits = await hitIds(esClient(), INDEX, { query: { query_string: { query: lucene } } });
    const caseSensitive = mapLeaves(query, (l) => (l.kind === 'match' ? match(l.field, l.patterns, false, l.label) : l));
    const diff = disagreements(events, (e) => evaluate(caseSensitive, e.event), hits);
    expect(diff, formatDisagreements('pySigma lucene', diff)).toEqual([]);
    // The bug is visible on this event set: some case variants differ from the rule's verdict.
    const differing = events.filter((e) => evaluate(caseSensitive, e.event) !== evaluate(query, e.event));
    expect(differing.map((e) => e.name)).toContain('domain match ignores case');
  });
});
