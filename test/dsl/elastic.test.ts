/**
 * Elastic rule parameters written in the DSL (`elastic` in RuleSpec): a threshold and a new_terms
 * rule load with them unchanged (type check included) and publish as those Kibana types; a
 * misspelt key does not compile; rules without a type check get SIEMC-R046 / R047 at the rule's
 * line; the compile key follows them.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ruleKeys } from '../../src/cache/rule-key.js';
import type { ElasticRuleParameters, RuleSpec } from '../../src/dsl/rule.js';
import { loadRules } from '../../src/loader/load.js';
import { publishRules } from '../../src/publish/publish.js';
import { REPO_DIR } from '../support/rules.js';
import { ruleId, workspace, writeRules } from '../support/workspace.js';

const schema = JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/kibana/rule-create.schema.json`, 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const THRESHOLD: ElasticRuleParameters = {
  type: 'threshold',
  language: 'kuery',
  originalQuery: 'event.category:authentication and event.outcome:failure',
  threshold: { field: ['source.ip', 'user.name'], value: 25, cardinality: [{ field: 'host.name', value: 3 }] },
};
const NEW_TERMS: ElasticRuleParameters = {
  type: 'new_terms',
  language: 'kuery',
  originalQuery: 'event.category:process',
  newTerms: { fields: ['host.id', 'process.executable'], historyWindowStart: 'now-14d' },
};

/** A rule module: `elastic` as given (TypeScript source text), after the header lines. */
function ruleSource(n: number, elastic: string, header = ''): string {
  return `${header}import { defineRule, field } from 'siemc';

export const rule${n} = defineRule({
  id: '${ruleId(n)}', name: 'rule ${n}', description: 'd', author: ['siemc tests'], license: 'Apache-2.0', severity: 'low', riskScore: 21,
  schedule: { interval: '5m', from: 'now-6m' }, maxSignals: 100, index: ['logs-*'], tags: [], mitre: [], references: [], falsePositives: [], version: 1,
  elastic: ${elastic},
  query: field('event.category').equals('authentication'),
  tests: [{ name: 'hit', expect: 'match', event: { event: { category: 'authentication' } } }],
});
`;
}

const located = (d: { code: string; location?: { file: string; line: number }; message: string }): string =>
  `${d.location?.file.split('/').pop() ?? ''}:${d.location?.line ?? ''} ${d.code} ${d.message}`;

describe('elastic in RuleSpec', () => {
  it('a threshold and a new_terms rule load with their parameters, and publish as those Kibana types', async () => {
    const dir = writeRules(workspace(), {
      'threshold.ts': ruleSource(1, JSON.stringify(THRESHOLD)),
      'new-terms.ts': ruleSource(2, JSON.stringify(NEW_TERMS)),
    });
    const { rules, diagnostics } = await loadRules(dir, { cache: false });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(rules.find((r) => r.id === ruleId(1))?.elastic).toEqual(THRESHOLD);
    expect(rules.find((r) => r.id === ruleId(2))?.elastic).toEqual(NEW_TERMS);

    const result = publishRules(rules, { config: {} });
    const kibana = (result.files.get('kibana/rules.ndjson') ?? '').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byId = new Map(kibana.map((k) => [k.rule_id, k]));
    expect(byId.get(ruleId(1))).toMatchObject({
      type: 'threshold',
      language: 'kuery',
      threshold: { field: ['source.ip', 'user.name'], value: 25, cardinality: [{ field: 'host.name', value: 3 }] },
    });
    expect(byId.get(ruleId(2))).toMatchObject({ type: 'new_terms', language: 'kuery', new_terms_fields: ['host.id', 'process.executable'], history_window_start: 'now-14d' });
    for (const k of kibana) expect(validate(k) ? [] : validate.errors, String(k.rule_id)).toEqual([]);
    // The plain-search targets say what they cannot carry.
    expect(result.diagnostics.filter((d) => d.code === 'SIEMC-P006').map((d) => d.rule).sort()).toEqual([ruleId(1), ruleId(1), ruleId(2), ruleId(2)]);
  });

  it('a misspelt key is a compile error', async () => {
    // @ts-expect-error `treshold` is not a key of ElasticRuleParameters (tsc checks this file).
    const misspelt: ElasticRuleParameters = { type: 'threshold', language: 'kuery', originalQuery: '', treshold: { field: [], value: 1 } };
    // @ts-expect-error `history_window_start` is Elastic's spelling, not the DSL's.
    const snakeCase: RuleSpec['elastic'] = { type: 'new_terms', language: 'kuery', originalQuery: '', newTerms: { fields: ['a'], history_window_start: 'now-7d' } };
    // @ts-expect-error a type outside the four Elastic rule types.
    const badType: RuleSpec['elastic'] = { type: 'machine_learning', language: 'kuery', originalQuery: '' };
    void [misspelt, snakeCase, badType];

    // And through the loader's type check, at the line of the misspelling.
    const dir = writeRules(workspace(), {
      'rule.ts': ruleSource(3, "{ type: 'threshold', language: 'kuery', originalQuery: 'x', threshold: { field: ['user.name'], value: 5, cardinalty: [] } }"),
    });
    const { diagnostics } = await loadRules(dir, { cache: false });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.location?.line ?? ''} ${d.code}`)).toEqual(['6 SIEMC-TS2561']);
    expect(errors[0]?.message).toMatch(/cardinalty.*cardinality/);
  });

  it('without a type check, bad shapes are SIEMC-R046 and misspelt keys SIEMC-R047, at the rule', async () => {
    const cases: Record<string, string> = {
      'a.ts': "{ type: 'threshold', language: 'kuery', originalQuery: 'x', threshold: { field: 'user.name', value: 0, cardinality: [{ field: 'host.name', value: '3' }] } }",
      'b.ts': "{ type: 'new_terms', language: 'eql', originalQuery: 'x', newTerms: { fields: [], history_window_start: 'now-7d' } }",
      'c.ts': "{ type: 'threshold', language: 'kuery', originalQuery: 'x' }",
      'd.ts': "{ type: 'query', language: 'kuery', originalQuery: 42, threshold: { field: [], value: 1 }, treshold: 1 }",
      'e.ts': "'threshold'",
    };
    const dir = writeRules(workspace(), Object.fromEntries(Object.entries(cases).map(([f, e], i) => [f, ruleSource(10 + i, e, '// @ts-nocheck\n')])));
    const { diagnostics } = await loadRules(dir, { cache: false, typecheck: false });
    // defineRule( sits on line 4 of each module (after the @ts-nocheck line).
    expect(diagnostics.filter((d) => d.severity === 'error').map(located).sort()).toEqual(
      [
        'a.ts:4 SIEMC-R046 elastic.threshold.field must be an array of field names, not "user.name"',
        'a.ts:4 SIEMC-R046 elastic.threshold.value 0 is not a positive integer',
        'a.ts:4 SIEMC-R046 elastic.threshold.cardinality[0].value "3" is not a positive integer',
        'b.ts:4 SIEMC-R046 elastic.language "eql" is not "kuery", the language of new_terms rules',
        'b.ts:4 SIEMC-R046 elastic.newTerms.fields must be a non-empty array of field names, not []',
        'b.ts:4 SIEMC-R046 elastic.newTerms.historyWindowStart must be date math like "now-7d", not nothing',
        'b.ts:4 SIEMC-R047 unknown rule field "elastic.newTerms.history_window_start" (a misspelling?)',
        'c.ts:4 SIEMC-R046 elastic.threshold is missing: a threshold rule needs it',
        'd.ts:4 SIEMC-R046 elastic.originalQuery must be a string, not number 42',
        'd.ts:4 SIEMC-R046 elastic.threshold is given, but only threshold rules have it (elastic.type is "query")',
        'd.ts:4 SIEMC-R047 unknown rule field "elastic.treshold" (a misspelling?)',
        'e.ts:4 SIEMC-R046 elastic must be an object { type, language, originalQuery, ... }, not "threshold"',
      ].sort(),
    );
  });

  it('the compile key follows the parameters', async () => {
    const dir = writeRules(workspace(), { 'a.ts': ruleSource(20, JSON.stringify(THRESHOLD)) });
    const [rule] = (await loadRules(dir, { cache: false, typecheck: false })).rules;
    if (rule === undefined) throw new Error('rule did not load');
    const changed = { ...rule, elastic: { ...THRESHOLD, threshold: { field: ['source.ip'], value: 26 } } };
    expect(ruleKeys(changed).compile({})).not.toBe(ruleKeys(rule).compile({}));
    // The rule's own tests do not read them: their verdicts stay cached.
    expect(ruleKeys(changed).tests).toBe(ruleKeys(rule).tests);
  });
});
