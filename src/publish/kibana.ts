/**
 * A Kibana detection rule (the saved-object JSON that Kibana's rule import and Elastic's
 * detection-rules use), built as an object and serialised, from a rule and its EQL.
 */
import { runtimeMetadata } from '../model/defaults.js';
import type { Rule } from '../model/rule.js';
import type { JsonValue } from '../util/stable-json.js';

const attack = (kind: 'tactics' | 'techniques', id: string): string =>
  `https://attack.mitre.org/${kind}/${id.replace('.', '/')}/`;

export function kibanaRule(rule: Rule, eql: string): { [key: string]: JsonValue } {
  const run = runtimeMetadata(rule);
  return {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    author: [...rule.author],
    license: rule.license,
    type: 'eql',
    language: 'eql',
    query: eql.replace(/\n$/, ''),
    index: [...run.index],
    severity: rule.severity,
    risk_score: run.riskScore,
    interval: run.schedule.interval,
    from: run.schedule.from,
    max_signals: run.maxSignals,
    tags: [...rule.tags],
    references: [...rule.references],
    false_positives: [...rule.falsePositives],
    ...(rule.note === undefined ? {} : { note: rule.note }),
    version: rule.version,
    // Imported rules start disabled, as Elastic's prebuilt rules do: enabling is a decision.
    enabled: false,
    threat: rule.mitre.map((t) => ({
      framework: 'MITRE ATT&CK',
      tactic: { id: t.tactic.id, name: t.tactic.name, reference: attack('tactics', t.tactic.id) },
      technique: t.techniques.map((tech) => ({
        id: tech.id,
        name: tech.name,
        reference: attack('techniques', tech.id),
        ...(tech.subtechniques === undefined
          ? {}
          : { subtechnique: tech.subtechniques.map((s) => ({ id: s.id, name: s.name, reference: attack('techniques', s.id) })) }),
      })),
    })),
  };
}
