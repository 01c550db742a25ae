/** Publishable files for every rule: Kibana rules, a Splunk savedsearches.conf, Sigma rules. */
import { eql } from '../backends/eql/index.js';
import { sigma } from '../backends/sigma/index.js';
import { spl } from '../backends/spl/index.js';
import { compileRules, type CompileOptions } from '../compile.js';
import type { Diagnostic } from '../diagnostics.js';
import { runtimeMetadata } from '../model/defaults.js';
import type { Rule } from '../model/rule.js';
import { stableJson, sortKeys, visibleJson } from '../util/stable-json.js';
import { kibanaRule } from './kibana.js';
import { renderTemplate } from './templates.js';

export function packageRules(rules: readonly Rule[], options: CompileOptions = {}): { files: Map<string, string>; diagnostics: readonly Diagnostic[] } {
  const { outputs, diagnostics } = compileRules(rules, [eql, spl, sigma], options);
  const text = (rule: Rule, target: string): string => outputs.find((o) => o.rule === rule && o.backend.name === target)?.text ?? '';
  const files = new Map<string, string>();
  const kibana = rules.map((r) => kibanaRule(r, text(r, 'eql')));
  kibana.forEach((k, i) => files.set(`kibana/${(rules[i] as Rule).id}.json`, stableJson(k)));
  // Kibana's import format: one rule per line.
  files.set('kibana/rules.ndjson', kibana.map((k) => visibleJson(JSON.stringify(sortKeys(k)))).join('\n') + '\n');
  files.set(
    'splunk/savedsearches.conf',
    renderTemplate('splunk/savedsearches.conf.hbs', {
      rules: rules.map((r) => ({
        ...r,
        ...runtimeMetadata(r),
        search: text(r, 'spl'),
        mitreIds: r.mitre.flatMap((t) => [t.tactic.id, ...t.techniques.flatMap((x) => [x.id, ...(x.subtechniques ?? []).map((s) => s.id)])]),
      })),
    }),
  );
  for (const r of rules) files.set(`sigma/${r.id}.yml`, text(r, 'sigma'));
  return { files, diagnostics };
}
