/**
 * The KQL snapshot on a live Elasticsearch, two ways:
 *  - Elasticsearch's own `kql` query (the x-pack-kql module, field types known from the
 *    mapping): hits equal our reading of the KQL (test/support/kql-tokenizer.ts) evaluated with
 *    KQL's meaning, except that this query passes wildcard values to Lucene unescaped (a
 *    divergence from Kibana this test found), which the reading models.
 *  - Where KQL's meaning differs from the rule's, a diagnostic names the clause.
 *  - Kibana's KQL-to-DSL code (@cybernetex/kbn-es-query, as detection rules use it: field
 *    types unknown, wildcards through query_string): hits equal the same reading once the
 *    documented query_string whitespace split (SIEMC-A103) is applied.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kql } from '../../src/backends/kql/index.js';
import { compileRules } from '../../src/compile.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { normalize } from '../../src/ir/normalize.js';
import { disagreements, formatDisagreements, hitIds } from '../../src/live/check.js';
import { kbn, spliceNestedBools, toOldDialect } from '../support/kibana-kql.js';
import { asElasticsearchKqlQuery, evaluateKql, parseKql, splitWildcardsAtWhitespace } from '../support/kql-tokenizer.js';
import { esClient, LIVE, requireNodeInCi, ruleEvents, useIndex, uniqueIndex } from '../support/live.js';
import { REPO_DIR, referenceRule } from '../support/rules.js';

requireNodeInCi();

const INDEX = uniqueIndex('siemc-live-kql');
describe.skipIf(!LIVE)('KQL snapshot on a live Elasticsearch', async () => {
  const rule = await referenceRule();
  const query = normalize(rule.query);
  const text = readFileSync(`${REPO_DIR}snapshots/${rule.id}/kql.kql`, 'utf8');
  const ast = parseKql(text);
  const events = ruleEvents(rule);
  const fieldType = (name: string) => fieldsOf(query).find((f) => f.name === name)?.type;
  useIndex(INDEX, fieldsOf(query), events);

  it("Elasticsearch's kql query selects what the KQL means, given its unescaped wildcards", async () => {
    const hits = await hitIds(esClient(), INDEX, { query: { kql: { query: text } } });
    const meaning = asElasticsearchKqlQuery(ast);
    const diff = disagreements(events, (e) => evaluateKql(meaning, e.event, { fieldType }), hits);
    expect(diff, formatDisagreements('kql query', diff)).toEqual([]);
  });

  it("Kibana's KQL-to-DSL (detection-rule path) selects what the KQL means after the query_string split", async () => {
    const old = toOldDialect(text);
    if (old === undefined) throw new Error('the snapshot cannot be written in the older Kibana grammar');
    const dsl = spliceNestedBools(kbn.toElasticsearchQuery(kbn.fromKueryExpression(old)));
    const split = splitWildcardsAtWhitespace(ast);
    const hits = await hitIds(esClient(), INDEX, { query: dsl });
    const diff = disagreements(events, (e) => evaluateKql(split, e.event, { fieldType }), hits);
    expect(diff, formatDisagreements('kbn-es-query', diff)).toEqual([]);
  });

  it('where the KQL means something else than the rule, a diagnostic names the clause', () => {
    const { diagnostics } = compileRules([rule], [kql]);
    const codes = new Set(diagnostics.map((d) => d.code));
    const differing = events.filter((e) => evaluateKql(ast, e.event, { fieldType }) !== evaluate(query, e.event));
    // The test events include case variants and `?` cases that KQL cannot express.
    expect(differing.length).toBeGreaterThan(0);
    expect(codes).toEqual(new Set(['SIEMC-A101', 'SIEMC-A102', 'SIEMC-A103']));
  });
});
