/**
 * A detection-rules TOML's `[metadata]`, `[rule]` and `[[rule.threat]]` tables as the rule
 * model's metadata. Values of the wrong shape are dropped with a warning (SIEMC-I207) and the
 * model's documented default applies; a missing id, name or description stops the rule (SIEMC-I201).
 */
import type { Diagnostic } from '../../diagnostics.js';
import type { SourceLocation } from '../../model/location.js';
import type { DateMath, Interval, IsoDate, MitreSubtechnique, MitreTactic, MitreTechnique, RuleMetadata, Severity } from '../../model/rule.js';

export type Table = { readonly [key: string]: unknown };

export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export class MetadataError extends Error {}

export function ruleMetadata(meta: Table, rule: Table, location: SourceLocation, diagnostics: Diagnostic[]): RuleMetadata {
  const id = str(rule.rule_id);
  const drop = (key: string, why: string): undefined => {
    diagnostics.push({ code: 'SIEMC-I207', severity: 'warning', message: `rule.${key} ${why}; the default applies`, ...(id === undefined ? {} : { rule: id }), location });
    return undefined;
  };
  const required = (key: string): string => {
    const v = str(rule[key]);
    if (v === undefined || v.trim() === '') throw new MetadataError(`rule.${key} is missing or not a string`);
    return v;
  };
  required('rule_id');
  const severityText = str(rule.severity);
  const severity = SEVERITIES.find((s) => s === severityText);
  if (severity === undefined) drop('severity', `"${String(rule.severity)}" is not low, medium, high or critical`);
  const riskScore = typeof rule.risk_score === 'number' ? rule.risk_score : rule.risk_score === undefined ? undefined : drop('risk_score', 'is not a number');
  const interval = optional(rule.interval, /^\d+[smhd]$/, 'interval', drop) as Interval | undefined;
  const from = optional(rule.from, /^now-\d+[smhd]$/, 'from', drop) as DateMath | undefined;
  const maxSignals = typeof rule.max_signals === 'number' ? rule.max_signals : rule.max_signals === undefined ? undefined : drop('max_signals', 'is not a number');
  const index = rule.index === undefined ? undefined : (strings(rule.index) ?? drop('index', 'is not a list of strings'));
  const version = typeof rule.version === 'number' ? rule.version : 1;
  const created = isoDate(meta.creation_date);
  const updated = isoDate(meta.updated_date);
  const note = str(rule.note);
  const setup = str(rule.setup);
  return {
    id: required('rule_id'),
    name: required('name'),
    description: required('description'),
    author: strings(rule.author) ?? [],
    license: str(rule.license) ?? '',
    severity: severity ?? 'medium',
    ...(riskScore === undefined ? {} : { riskScore }),
    ...(interval === undefined && from === undefined ? {} : { schedule: { interval: interval ?? '5m', from: from ?? 'now-6m' } }),
    ...(maxSignals === undefined ? {} : { maxSignals }),
    ...(index === undefined ? {} : { index }),
    tags: strings(rule.tags) ?? [],
    mitre: mitre(rule.threat),
    references: strings(rule.references) ?? [],
    falsePositives: strings(rule.false_positives) ?? [],
    ...(note === undefined ? {} : { note }),
    ...(setup === undefined ? {} : { setup }),
    version,
    ...(created === undefined ? {} : { created }),
    ...(updated === undefined ? {} : { updated }),
  };
}

function optional(v: unknown, shape: RegExp, key: string, drop: (key: string, why: string) => undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && shape.test(v)) return v;
  return drop(key, `${JSON.stringify(v)} is not of the form ${shape.source}`);
}

/** `2020/02/18` (detection-rules' form) as `2020-02-18`. */
function isoDate(v: unknown): IsoDate | undefined {
  const m = typeof v === 'string' ? /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(v) : null;
  return m === null ? undefined : (`${m[1]}-${m[2]}-${m[3]}` as IsoDate);
}

/** `[[rule.threat]]` blocks of the MITRE ATT&CK framework. */
function mitre(threat: unknown): MitreTactic[] {
  if (!Array.isArray(threat)) return [];
  const out: MitreTactic[] = [];
  for (const t of threat) {
    if (!isTable(t) || !isTable(t.tactic) || (t.framework !== undefined && t.framework !== 'MITRE ATT&CK')) continue;
    const tacticId = str(t.tactic.id);
    if (tacticId === undefined || !/^TA\d+$/.test(tacticId)) continue;
    const techniques: MitreTechnique[] = [];
    for (const tech of Array.isArray(t.technique) ? t.technique : []) {
      const techId = isTable(tech) ? str(tech.id) : undefined;
      if (!isTable(tech) || techId === undefined || !/^T\d+$/.test(techId)) continue;
      const subs: MitreSubtechnique[] = [];
      for (const sub of Array.isArray(tech.subtechnique) ? tech.subtechnique : []) {
        const subId = isTable(sub) ? str(sub.id) : undefined;
        if (isTable(sub) && subId !== undefined && /^T\d+\.\d+$/.test(subId)) subs.push({ id: subId as MitreSubtechnique['id'], name: str(sub.name) ?? '' });
      }
      techniques.push({ id: techId as MitreTechnique['id'], name: str(tech.name) ?? '', ...(subs.length === 0 ? {} : { subtechniques: subs }) });
    }
    out.push({ tactic: { id: tacticId as MitreTactic['tactic']['id'], name: str(t.tactic.name) ?? '' }, techniques });
  }
  return out;
}
