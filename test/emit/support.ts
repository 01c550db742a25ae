/** Shared by the emitter tests: rules built from IR, written out, loaded back and compared. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { loadRules } from '../../src/loader/load.js';
import { normalize } from '../../src/ir/normalize.js';
import { runtimeMetadata } from '../../src/model/defaults.js';
import type { Node } from '../../src/ir/nodes.js';
import type { Rule, RuleMetadata } from '../../src/model/rule.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { ruleId, workspace } from '../support/workspace.js';

/** A rule as an importer would give it: no target metadata, no tests, a source location. */
export function importedRule(n: number, query: Node, extra: Partial<Rule> = {}): Rule {
  return {
    kind: 'siemc.rule',
    id: ruleId(n),
    name: `Imported rule ${n}`,
    description: 'An imported rule.',
    author: ['siemc tests'],
    license: 'DRL-1.1',
    severity: 'medium',
    tags: [],
    mitre: [],
    references: [],
    falsePositives: [],
    version: 1,
    query,
    tests: [],
    provenance: { kind: 'sigma', location: { file: `/imports/sigma/windows/rule_${n}.yml`, line: 1, column: 1 } },
    ...extra,
  };
}

export function writeFiles(files: ReadonlyMap<string, string>): string {
  const dir = join(workspace(), 'rules');
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Type-checks and loads the folder; fails the test with every diagnostic when it does not load. */
export async function loadBack(dir: string): Promise<{ rules: readonly Rule[]; diagnostics: readonly Diagnostic[] }> {
  const result = await loadRules(dir, { cache: false });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.location?.file ?? ''}:${d.location?.line ?? ''} ${d.message}`)).toEqual([]);
  return result;
}

const METADATA_KEYS = [
  'id', 'name', 'description', 'author', 'license', 'severity', 'riskScore', 'schedule', 'maxSignals', 'index', 'tags', 'mitre',
  'references', 'falsePositives', 'note', 'setup', 'status', 'language', 'elastic', 'version', 'created', 'updated',
] as const satisfies readonly (keyof RuleMetadata)[];

/** The metadata a rule means: missing target metadata reads as its documented default. */
export function meaningOf(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of METADATA_KEYS) if (rule[k] !== undefined) out[k] = rule[k];
  return { ...out, ...runtimeMetadata(rule) };
}

/** Each input rule has a loaded rule with the same id, normalised IR and metadata. */
export function expectSameRules(input: readonly Rule[], loaded: readonly Rule[]): void {
  expect(loaded.map((r) => r.id).sort()).toEqual(input.map((r) => r.id).sort());
  for (const rule of input) {
    const back = loaded.find((r) => r.id === rule.id) as Rule;
    expect(normalize(back.query), rule.name).toEqual(normalize(rule.query));
    expect(meaningOf(back), rule.name).toEqual(meaningOf(rule));
  }
}
