/**
 * The rule values every publisher reads, with their defaults in one place, and the mappings of
 * siemc's vocabulary onto each format's (status -> maturity, tactic names -> file names).
 */
import { runtimeMetadata } from '../model/defaults.js';
import type { KibanaLanguage, MitreTactic, Rule, RuleStatus } from '../model/rule.js';
import type { PublishContext } from './publisher.js';
import { fieldsOf } from '../ir/fields.js';
import { normalize } from '../ir/normalize.js';
import { assertNever } from '../ir/nodes.js';

export const DEFAULT_STATUS: RuleStatus = 'experimental';

export function ruleStatus(rule: Rule): RuleStatus {
  return rule.status ?? DEFAULT_STATUS;
}

/**
 * The rule's own language: KQL for a new_terms or threshold rule (Kibana runs those types on KQL
 * only), else as given, else that of the source it was imported from (KQL), else EQL.
 */
export function kibanaLanguage(rule: Rule): KibanaLanguage {
  if (alertCondition(rule) !== undefined) return 'kql';
  return rule.language ?? (rule.provenance?.kind === 'kql' || rule.elastic?.language === 'kuery' ? 'kql' : 'eql');
}

/**
 * When an imported Elastic rule alerts beyond its query matching (rule.elastic): a `new_terms`
 * rule on the first appearance of its fields' values, a `threshold` rule on large enough groups.
 * Undefined for every other rule, whose alerts are its query's hits.
 */
export type AlertCondition =
  | { readonly type: 'new_terms'; readonly fields: readonly string[]; readonly historyWindowStart: string }
  | { readonly type: 'threshold'; readonly field: readonly string[]; readonly value: number; readonly cardinality: readonly { readonly field: string; readonly value: number }[] };

export function alertCondition(rule: Rule): AlertCondition | undefined {
  const e = rule.elastic;
  if (e?.type === 'new_terms' && e.newTerms !== undefined) return { type: 'new_terms', fields: e.newTerms.fields, historyWindowStart: e.newTerms.historyWindowStart };
  if (e?.type === 'threshold' && e.threshold !== undefined) return { type: 'threshold', field: e.threshold.field, value: e.threshold.value, cardinality: e.threshold.cardinality ?? [] };
  return undefined;
}

/**
 * SIEMC-P006 for a format whose file is the rule's query alone (a Splunk saved search, a Sigma
 * rule): a new_terms or threshold rule published there alerts on every event its query matches.
 */
export function reportPlainSearch(rule: Rule, format: string, report: PublishContext['report']): void {
  const condition = alertCondition(rule);
  if (condition === undefined) return;
  report({
    code: 'SIEMC-P006',
    severity: 'warning',
    rule: rule.id,
    direction: 'widened',
    message: `${condition.type} rule published to ${format} as its plain search, which alerts on every matching event: ${describeCondition(condition)}, which the published ${format} search does not check`,
  });
}

/** The condition in words, for the diagnostics of formats that cannot carry it. */
export function describeCondition(c: AlertCondition): string {
  switch (c.type) {
    case 'new_terms':
      return `Kibana alerts only when ${c.fields.join(', ')} take a value not seen since ${c.historyWindowStart}`;
    case 'threshold': {
      const by = c.field.length === 0 ? '' : ` by ${c.field.join(', ')}`;
      const distinct = c.cardinality.map((k) => ` with at least ${k.value} distinct ${k.field}`).join(' and');
      return `Kibana alerts only for groups${by} of at least ${c.value} events${distinct}`;
    }
    default:
      return assertNever(c);
  }
}

/** What a rule runs on and how often, its defaults filled in (src/model/defaults.ts). */
export function runtime(rule: Rule): { riskScore: number; interval: string; from: string; maxSignals: number; index: readonly string[] } {
  const run = runtimeMetadata(rule);
  return { riskScore: run.riskScore, interval: run.schedule.interval, from: run.schedule.from, maxSignals: run.maxSignals, index: run.index };
}

/** The fields the query reads, by name, with their Elasticsearch types (Kibana's required_fields). */
export function requiredFields(rule: Rule): { name: string; type: string }[] {
  return fieldsOf(normalize(rule.query))
    .map((f) => ({ name: f.name, type: f.type }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** ATT&CK reference URLs: sub-techniques as `T1234/001`. */
export function attackUrl(kind: 'tactics' | 'techniques', id: string): string {
  return `https://attack.mitre.org/${kind}/${id.replace('.', '/')}/`;
}

/** Every technique and sub-technique id, in the rule's order. */
export function techniqueIds(mitre: readonly MitreTactic[]): string[] {
  const ids: string[] = [];
  for (const t of mitre)
    for (const tech of t.techniques) for (const id of [tech.id, ...(tech.subtechniques ?? []).map((s) => s.id)]) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** Lower-case words joined by `_`: `Command and Control` -> `command_and_control`. */
export function snakeCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Gives every rule a distinct file name: a name two rules would share gets each rule's id
 * prefix, so no rule overwrites another and the names stay stable as rules come and go.
 */
export function distinctNames(rules: readonly Rule[], nameOf: (rule: Rule) => string, withId: (name: string, rule: Rule) => string): Map<Rule, string> {
  const counts = new Map<string, number>();
  for (const r of rules) counts.set(nameOf(r), (counts.get(nameOf(r)) ?? 0) + 1);
  return new Map(rules.map((r) => [r, (counts.get(nameOf(r)) ?? 0) > 1 ? withId(nameOf(r), r) : nameOf(r)]));
}
