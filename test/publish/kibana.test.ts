/** The Kibana NDJSON: every line fits Kibana's create-rule schema and carries the rule's values. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/dsl/rule.js';
import { publishRules } from '../../src/publish/publish.js';
import { REFERENCE_RULE_ID, referenceRule } from '../support/rules.js';

const schema = JSON.parse(readFileSync(new URL('../fixtures/kibana/rule-create.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function ndjson(rules: readonly Rule[], enabled?: boolean): Record<string, unknown>[] {
  const { files } = publishRules(rules, { config: enabled === undefined ? {} : { publish: { enabled } } });
  const text = files.get('kibana/rules.ndjson') ?? '';
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function valid(rule: Record<string, unknown>): string[] {
  return validate(rule) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('Kibana rule import (NDJSON)', async () => {
  const reference = await referenceRule();
  const [k] = ndjson([reference]);

  it('fits the create-rule schema, and the schema rejects what Kibana would', () => {
    expect(k).toBeDefined();
    expect(valid(k ?? {})).toEqual([]);
    expect(valid({ ...k, risk_score: 101 })).not.toEqual([]);
    expect(valid({ ...k, language: 'kuery' })).not.toEqual([]);
    expect(valid({ ...k, riskScore: 21 })).not.toEqual([]);
    expect(valid({ ...k, required_fields: [{ name: 'x' }] })).not.toEqual([]);
  });

  it("carries the reference rule's values", () => {
    expect(k).toMatchObject({
      rule_id: REFERENCE_RULE_ID,
      name: 'Connection to Commonly Abused Web Services',
      type: 'eql',
      language: 'eql',
      risk_score: 21,
      severity: 'low',
      interval: '5m',
      from: 'now-9m',
      max_signals: 100,
      index: ['logs-endpoint.events.network-*'],
      version: 113,
      author: ['Elastic'],
      license: 'Elastic License v2',
      enabled: false,
    });
    const threat = k?.threat as { tactic: { id: string; name: string; reference: string }; technique: { id: string; name: string; reference: string; subtechnique?: { id: string; name: string; reference: string }[] }[] }[];
    const ids = threat.flatMap((t) => [
      [t.tactic.id, t.tactic.name, t.tactic.reference],
      ...t.technique.flatMap((x) => [[x.id, x.name, x.reference], ...(x.subtechnique ?? []).map((s) => [s.id, s.name, s.reference])]),
    ]);
    expect(ids).toEqual([
      ['TA0011', 'Command and Control', 'https://attack.mitre.org/tactics/TA0011/'],
      ['T1102', 'Web Service', 'https://attack.mitre.org/techniques/T1102/'],
      ['T1568', 'Dynamic Resolution', 'https://attack.mitre.org/techniques/T1568/'],
      ['T1568.002', 'Domain Generation Algorithms', 'https://attack.mitre.org/techniques/T1568/002/'],
      ['TA0010', 'Exfiltration', 'https://attack.mitre.org/tactics/TA0010/'],
      ['T1567', 'Exfiltration Over Web Service', 'https://attack.mitre.org/techniques/T1567/'],
      ['T1567.001', 'Exfiltration to Code Repository', 'https://attack.mitre.org/techniques/T1567/001/'],
      ['T1567.002', 'Exfiltration to Cloud Storage', 'https://attack.mitre.org/techniques/T1567/002/'],
    ]);
    expect(String(k?.note)).toContain('### Investigating Connection to Commonly Abused Web Services');
    expect(k?.false_positives).toEqual(reference.falsePositives);
  });

  it('lists the fields the query reads with their ECS types, sorted by name', () => {
    const fields = k?.required_fields as { name: string; type: string }[];
    expect(fields.map((f) => f.name)).toEqual([...fields.map((f) => f.name)].sort());
    expect(fields).toContainEqual({ name: 'dns.question.name', type: 'keyword' });
    expect(fields).toContainEqual({ name: 'process.code_signature.trusted', type: 'boolean' });
    expect(fields).toContainEqual({ name: 'event.category', type: 'keyword' });
    expect(fields).toHaveLength(9);
  });

  it('a KQL rule is a custom query rule in kuery, and enabled follows the project setting', () => {
    const kqlRule: Rule = { ...reference, language: 'kql', setup: '## Setup\n\nInstall Elastic Defend.\n' };
    const [q] = ndjson([kqlRule], true);
    expect(valid(q ?? {})).toEqual([]);
    expect(q).toMatchObject({ type: 'query', language: 'kuery', enabled: true, setup: '## Setup\n\nInstall Elastic Defend.\n' });
    const kql = readFileSync(new URL(`../../snapshots/${REFERENCE_RULE_ID}/kql.kql`, import.meta.url), 'utf8');
    expect(q?.query).toBe(kql.trimEnd());
  });
});
