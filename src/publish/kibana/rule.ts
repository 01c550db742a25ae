/**
 * A Kibana detection rule in the shape of Kibana's create-rule API (`POST
 * /api/detection_engine/rules`), which its rule import reads one per NDJSON line. Built as an
 * object, never as text. test/fixtures/kibana/rule-create.schema.json is the API's schema.
 */
import type { Backend } from '../../backends/backend.js';
import { eql } from '../../backends/eql/index.js';
import { kql } from '../../backends/kql/index.js';
import { assertNever } from '../../ir/nodes.js';
import type { Rule } from '../../model/rule.js';
import type { JsonValue } from '../../util/stable-json.js';
import { alertCondition, attackUrl, kibanaLanguage, requiredFields, runtime, type AlertCondition } from '../rule-values.js';

/** The backend whose query the Kibana rule carries. */
export function kibanaBackend(rule: Rule): Backend {
  return kibanaLanguage(rule) === 'kql' ? kql : eql;
}

/** The `threat` array: ATT&CK tactics with their techniques and sub-techniques, ids, names and URLs. */
export function kibanaThreat(rule: Rule): JsonValue[] {
  return rule.mitre.map((t) => ({
    framework: 'MITRE ATT&CK',
    tactic: { id: t.tactic.id, name: t.tactic.name, reference: attackUrl('tactics', t.tactic.id) },
    technique: t.techniques.map((tech) => ({
      id: tech.id,
      name: tech.name,
      reference: attackUrl('techniques', tech.id),
      ...(tech.subtechniques === undefined
        ? {}
        : { subtechnique: tech.subtechniques.map((s) => ({ id: s.id, name: s.name, reference: attackUrl('techniques', s.id) })) }),
    })),
  }));
}

export interface KibanaOptions {
  readonly version: number;
  /** Whether the rule starts enabled (project setting publish.enabled). */
  readonly enabled: boolean;
}

/** A new_terms or threshold rule's type and parameters, as Kibana's create-rule API names them. */
function conditionFields(c: AlertCondition): { [key: string]: JsonValue } {
  switch (c.type) {
    case 'new_terms':
      return { type: 'new_terms', language: 'kuery', new_terms_fields: [...c.fields], history_window_start: c.historyWindowStart };
    case 'threshold':
      return {
        type: 'threshold',
        language: 'kuery',
        threshold: { field: [...c.field], value: c.value, ...(c.cardinality.length === 0 ? {} : { cardinality: c.cardinality.map((k) => ({ field: k.field, value: k.value })) }) },
      };
    default:
      return assertNever(c);
  }
}

export function kibanaRule(rule: Rule, query: string, options: KibanaOptions): { [key: string]: JsonValue } {
  const run = runtime(rule);
  const language = kibanaLanguage(rule);
  const condition = alertCondition(rule);
  return {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    // An EQL rule is type `eql`; a KQL rule is a custom query rule (`query`) in `kuery`, unless
    // it was imported as a new_terms or threshold rule (always KQL), whose parameters it keeps.
    ...(condition !== undefined ? conditionFields(condition) : language === 'kql' ? { type: 'query', language: 'kuery' } : { type: 'eql', language: 'eql' }),
    query: query.replace(/\n$/, ''),
    index: [...run.index],
    interval: run.interval,
    from: run.from,
    max_signals: run.maxSignals,
    severity: rule.severity,
    risk_score: run.riskScore,
    tags: [...rule.tags],
    threat: kibanaThreat(rule),
    ...(rule.note === undefined ? {} : { note: rule.note }),
    ...(rule.setup === undefined ? {} : { setup: rule.setup }),
    author: [...rule.author],
    license: rule.license,
    references: [...rule.references],
    false_positives: [...rule.falsePositives],
    version: options.version,
    required_fields: requiredFields(rule),
    enabled: options.enabled,
  };
}
