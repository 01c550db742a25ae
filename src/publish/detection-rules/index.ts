/**
 * Elastic detection-rules: one TOML file per rule in their repository's layout
 * (`rules/<os>/<first tactic>_<name>.toml`), ready to drop into a fork of it. Versions are not in
 * the files: detection-rules keeps them in a version lock of its own, as siemc does.
 * `required_fields` are left out too: detection-rules computes them when it builds a package.
 */
import type { Rule, RuleStatus } from '../../model/rule.js';
import { logSource } from '../../backends/sigma/metadata.js';
import { normalize } from '../../ir/normalize.js';
import { kibanaBackend } from '../kibana/rule.js';
import type { Publisher } from '../publisher.js';
import { alertCondition, attackUrl, distinctNames, kibanaLanguage, ruleStatus, runtime, snakeCase, type AlertCondition } from '../rule-values.js';
import { assertNever } from '../../ir/nodes.js';
import { tomlDocument, type TomlEntry } from './toml.js';

/** detection-rules' maturity for each status. */
const MATURITY: Readonly<Record<RuleStatus, string>> = {
  stable: 'production',
  test: 'beta',
  experimental: 'experimental',
  deprecated: 'deprecated',
  unsupported: 'development',
};

/** Their folders per operating system; rules for none or several go to cross-platform. */
function folderOf(rule: Rule): string {
  const product = logSource(normalize(rule.query)).product;
  return product === 'windows' || product === 'linux' || product === 'macos' ? product : 'cross-platform';
}

/** `command_and_control_connection_to_commonly_abused_web_services.toml`: the first tactic, then the name. */
function fileName(rule: Rule): string {
  const tactic = rule.mitre[0]?.tactic.name;
  return `${[tactic === undefined ? '' : snakeCase(tactic), snakeCase(rule.name) || 'rule'].filter((p) => p !== '').join('_')}.toml`;
}

const date = (iso: string | undefined): string | undefined => iso?.replaceAll('-', '/');

function threat(rule: Rule): TomlEntry[] {
  return rule.mitre.map((t) => ({
    values: { framework: 'MITRE ATT&CK' },
    arrays: [
      {
        key: 'technique',
        entries: t.techniques.map((tech) => ({
          values: { id: tech.id, name: tech.name, reference: attackUrl('techniques', tech.id) },
          arrays: [{ key: 'subtechnique', entries: (tech.subtechniques ?? []).map((s) => ({ values: { id: s.id, name: s.name, reference: attackUrl('techniques', s.id) } })) }],
        })),
      },
    ],
    tables: [{ key: 'tactic', values: { id: t.tactic.id, name: t.tactic.name, reference: attackUrl('tactics', t.tactic.id) } }],
  }));
}

/** `[rule.new_terms]` and `[rule.threshold]` as detection-rules writes them (their TOML mirrors Kibana's API with field/value pairs). */
function conditionTable(c: AlertCondition): { readonly key: string; readonly entry: TomlEntry } {
  switch (c.type) {
    case 'new_terms':
      return {
        key: 'new_terms',
        entry: { values: { field: 'new_terms_fields', value: c.fields }, arrays: [{ key: 'history_window_start', entries: [{ values: { field: 'history_window_start', value: c.historyWindowStart } }] }] },
      };
    case 'threshold':
      return { key: 'threshold', entry: { values: { field: c.field, value: c.value }, arrays: [{ key: 'cardinality', entries: c.cardinality.map((k) => ({ values: { field: k.field, value: k.value } })) }] } };
    default:
      return assertNever(c);
  }
}

const nonEmpty = (list: readonly string[]): readonly string[] | undefined => (list.length === 0 ? undefined : list);

export function detectionRulesToml(rule: Rule, query: string): string {
  const run = runtime(rule);
  const kql = kibanaLanguage(rule) === 'kql';
  const condition = alertCondition(rule);
  return tomlDocument([
    {
      name: 'metadata',
      values: {
        creation_date: date(rule.created),
        maturity: MATURITY[ruleStatus(rule)],
        updated_date: date(rule.updated ?? rule.created),
      },
    },
    {
      name: 'rule',
      values: {
        author: rule.author,
        description: rule.description,
        false_positives: nonEmpty(rule.falsePositives),
        from: run.from,
        index: run.index,
        interval: run.interval,
        language: kql ? 'kuery' : 'eql',
        license: rule.license,
        max_signals: run.maxSignals,
        name: rule.name,
        note: rule.note,
        references: nonEmpty(rule.references),
        risk_score: run.riskScore,
        rule_id: rule.id,
        setup: rule.setup,
        severity: rule.severity,
        tags: nonEmpty(rule.tags),
        type: condition?.type ?? (kql ? 'query' : 'eql'),
      },
      markdown: ['note', 'setup'],
      query,
      arrays: [{ key: 'threat', entries: threat(rule) }],
      tables: condition === undefined ? [] : [conditionTable(condition)],
    },
  ]);
}

export const detectionRulesPublisher: Publisher = {
  name: 'detection-rules',
  title: 'Elastic detection-rules TOML files',
  versionedPackage: false,
  backendsFor: (rule) => [kibanaBackend(rule)],
  render(rules, context) {
    const names = distinctNames(
      rules.map((r) => r.rule),
      (r) => `${folderOf(r)}/${fileName(r)}`,
      (name, r) => name.replace(/\.toml$/, `_${r.id.slice(0, 8)}.toml`),
    );
    const files = new Map<string, string>();
    for (const r of rules) {
      // detection-rules requires both dates; a rule without them is written without and reported.
      if (r.rule.created === undefined)
        context.report({ code: 'SIEMC-P001', severity: 'warning', rule: r.rule.id, message: 'rule has no created date; detection-rules requires metadata.creation_date (add created: YYYY-MM-DD)' });
      files.set(`rules/${names.get(r.rule) ?? fileName(r.rule)}`, detectionRulesToml(r.rule, r.query(kibanaBackend(r.rule))));
    }
    return files;
  },
};
