/**
 * What running a rule module produced, kept in the project's .siemc/cache so that a rebuild
 * runs only the modules whose result can differ (./modules.ts decides which).
 *
 * A result holds the rules the module built with defineRule (as plain data, with the origin of
 * every query node and the digests their cache keys are made from), which of them its exports
 * hold, the problems reported while it ran (already mapped to the TypeScript sources) and what
 * it read: the modules and JSON files it imported and the files read with markdown(). Its key
 * is the module's compiled source with the keys of everything it imported, transitively, and
 * the contents of what it read; siemc's version is part of every key. A module whose result is
 * not plain data (a rule holding a function, a Date, a value JSON cannot carry back), or that
 * imported a package or a Node built-in (untracked inputs), has no result and always runs.
 */
import { createHash } from 'node:crypto';
import type { RuleProblem } from '../dsl/problems.js';
import { and } from '../ir/nodes.js';
import { restoreQuery, shapeOf, type QueryShape } from '../ir/portable.js';
import { isPlainData } from '../util/plain-data.js';
import type { Rule } from '../model/rule.js';
import { ruleDigests, seedRuleKeys, type RuleDigests } from '../cache/rule-key.js';
import { siemcVersion } from '../cache/version.js';

export const RESULTS_FORMAT = 'siemc-module-results/1';

/** What a module imported, in the order it did. */
export type ModuleDep =
  | { readonly kind: 'siemc' }
  | { readonly kind: 'module'; readonly specifier: string; readonly file: string }
  | { readonly kind: 'json'; readonly specifier: string; readonly file: string };

/** A rule as plain data, with its query's shape (src/ir/portable.ts). */
export interface StoredRule extends QueryShape {
  /** The rule as JSON, its query among it. */
  readonly rule: unknown;
  readonly digests: RuleDigests;
}

export interface ModuleResult {
  /** The module's compile key (its source, file name and compiler settings). */
  readonly code: string;
  readonly deps: readonly ModuleDep[];
  /** Files read with markdown(), absolute. */
  readonly reads: readonly string[];
  readonly problems: readonly RuleProblem[];
  /** The rules built while it ran, in order. */
  readonly defined: readonly StoredRule[];
  /** The rules among its exports, in source order, as [module that built it, its index there]. */
  readonly exported: readonly (readonly [string, number])[];
}

/** The rule as stored, or undefined when it is not plain data. */
export function storeRule(rule: Rule): StoredRule | undefined {
  if (!isPlainData(rule)) return undefined;
  return { rule, ...shapeOf(rule.query), digests: ruleDigests(rule) };
}

/** The rule again, as defineRule made it: frozen, its query nodes frozen and with their origins. */
export function restoreRule(stored: StoredRule): Rule {
  // The parsed cache entry itself: it is read once per build and never changed.
  const data = stored.rule as Rule;
  const rule = Object.freeze({ ...data, query: restoreQuery(data.query ?? and([]), stored) });
  seedRuleKeys(rule, stored.digests);
  return rule;
}

/** A content digest of a file the module read (JSON, Markdown); undefined when it is gone. */
export type Digest = (file: string) => string | undefined;

/**
 * The key of a module's result from what it read: undefined when one of its imports has no key
 * (it cannot be reused either) or a file it read is gone.
 */
export function resultKey(result: Pick<ModuleResult, 'code' | 'deps' | 'reads'>, keyOf: (file: string) => string | undefined, digest: Digest): string | undefined {
  const h = createHash('sha256').update(RESULTS_FORMAT).update('\0').update(siemcVersion()).update('\0').update(result.code);
  for (const d of result.deps) {
    if (d.kind === 'siemc') continue;
    const k = d.kind === 'module' ? keyOf(d.file) : digest(d.file);
    if (k === undefined) return undefined;
    h.update(`\0${d.kind}\0${d.specifier}\0${d.file}\0${k}`);
  }
  for (const f of result.reads) {
    const k = digest(f);
    if (k === undefined) return undefined;
    h.update(`\0read\0${f}\0${k}`);
  }
  return h.digest('hex');
}
