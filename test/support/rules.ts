/** Loads the project's rules once per test file (without the type check, which has its own test). */
import { readFileSync } from 'node:fs';
import type { Json } from '../../src/eval/values.js';
import { loadRules } from '../../src/loader/load.js';
import type { Rule } from '../../src/dsl/rule.js';

export const RULES_DIR = new URL('../../rules', import.meta.url).pathname;
export const REPO_DIR = new URL('../..', import.meta.url).pathname;

let cached: Promise<readonly Rule[]> | undefined;

export function projectRules(): Promise<readonly Rule[]> {
  cached ??= loadRules(RULES_DIR, { typecheck: false }).then(({ rules, diagnostics }) => {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
    return rules;
  });
  return cached;
}

export const REFERENCE_RULE_ID = '66883649-f908-4a5b-a1e0-54090a1d3a32';

export async function referenceRule(): Promise<Rule> {
  const rule = (await projectRules()).find((r) => r.id === REFERENCE_RULE_ID);
  if (rule === undefined) throw new Error('reference rule not found');
  return rule;
}

/** An event of the independent edge-case set, with the verdict Elasticsearch's EQL gives the original rule. */
export interface EdgeCase {
  readonly name: string;
  readonly expect: boolean;
  readonly why: string;
  readonly event: Json;
}

/** test/fixtures/reference-rule-edge-cases.ndjson, written from the original EQL text, not from the rule source. */
export const referenceEdgeCases: readonly EdgeCase[] = readFileSync(new URL('../fixtures/reference-rule-edge-cases.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as EdgeCase);
