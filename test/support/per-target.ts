/**
 * `expectPerTarget(query, { esdsl, eql, kql, spl, sigma })`: compiles one query for every
 * registered backend and runs each target's expectation. The expectation object must name every
 * target (a new backend is a type error in every test that uses this until it answers), so no
 * cross-target case can silently skip one.
 */
import { expect } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules } from '../../src/compile.js';
import { loadConfig } from '../../src/config.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Node } from '../../src/ir/nodes.js';
import type { Rule } from '../../src/model/rule.js';
import { REPO_DIR, referenceRule } from './rules.js';

/** The targets the registry holds; checked against it at run time below. */
export const TARGETS = ['esdsl', 'eql', 'kql', 'spl', 'sigma'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface TargetResult {
  readonly text: string;
  /** Each diagnostic as `code` or `code direction`, in report order. */
  readonly reports: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Either the exact list of reports (`[]` means exact), or a function that asserts on the result. */
export type TargetExpectation = readonly string[] | ((result: TargetResult) => void);

export async function compilePerTarget(query: Node, base?: Rule): Promise<Record<TargetName, TargetResult>> {
  expect(backends.map((b) => b.name)).toEqual([...TARGETS]);
  const rule: Rule = { ...(base ?? (await referenceRule())), query };
  const { outputs, diagnostics } = compileRules([rule], backends, { config: loadConfig(`${REPO_DIR}siemc.config.json`) });
  const result = (target: TargetName): TargetResult => {
    const own = diagnostics.filter((d) => d.target === target);
    return {
      text: outputs.find((o) => o.backend.name === target)?.text ?? '',
      reports: own.map((d) => (d.direction === undefined ? d.code : `${d.code} ${d.direction}`)),
      diagnostics: own,
    };
  };
  return Object.fromEntries(TARGETS.map((t) => [t, result(t)])) as Record<TargetName, TargetResult>;
}

export async function expectPerTarget(query: Node, expectations: Record<TargetName, TargetExpectation>, base?: Rule): Promise<void> {
  const results = await compilePerTarget(query, base);
  for (const target of TARGETS) {
    const expected = expectations[target];
    const result = results[target];
    if (typeof expected === 'function') expected(result);
    else expect(result.reports, `${target} reports`).toEqual(expected);
  }
}
