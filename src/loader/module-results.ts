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
import { and, isLeaf, type Node } from '../ir/nodes.js';
import { originOf, setOrigin } from '../ir/origins.js';
import type { SourceLocation } from '../model/location.js';
import type { Rule } from '../model/rule.js';
import { ruleDigests, seedRuleKeys, type RuleDigests } from '../cache/rule-key.js';
import { siemcVersion } from '../cache/version.js';

export const RESULTS_FORMAT = 'siemc-module-results/1';

/** What a module imported, in the order it did. */
export type ModuleDep =
  | { readonly kind: 'siemc' }
  | { readonly kind: 'module'; readonly specifier: string; readonly file: string }
  | { readonly kind: 'json'; readonly specifier: string; readonly file: string };

type Origin = readonly [string, number, number] | null;

export interface StoredRule {
  /** The rule as JSON, its query among it. */
  readonly rule: unknown;
  /** The origin of every query node, in walk order (they sit beside the tree, src/ir/origins.ts). */
  readonly origins: readonly Origin[];
  /**
   * Nodes the query holds in more than one place, as [position, position of its first place],
   * in walk order: JSON writes each place out, and compiling tells one node under `not` and
   * outside it ("not expressible") from two equal nodes.
   */
  readonly shared?: readonly (readonly [number, number])[];
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

/** True when JSON carries `value` back exactly (plain objects and arrays, finite numbers, no undefined). */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainData(value[i], depth + 1)) return false;
    return Object.keys(value).length === value.length;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const v of Object.values(value)) if (!isPlainData(v, depth + 1)) return false;
  return true;
}

function children(node: Node): readonly Node[] {
  if (isLeaf(node)) return [];
  return node.kind === 'not' ? [node.child] : node.children;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/** The rule as stored, or undefined when it is not plain data. */
export function storeRule(rule: Rule): StoredRule | undefined {
  if (!isPlainData(rule)) return undefined;
  const origins: Origin[] = [];
  const first = new Map<Node, number>();
  const shared: [number, number][] = [];
  walk(rule.query, (n) => {
    const at = originOf(n);
    const known = first.get(n);
    if (known === undefined) first.set(n, origins.length);
    else shared.push([origins.length, known]);
    origins.push(at === undefined ? null : [at.file, at.line, at.column]);
  });
  return { rule, origins, digests: ruleDigests(rule), ...(shared.length === 0 ? {} : { shared }) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The parsed query with each node stored in several places made one object again (StoredRule.shared). */
function reshare(query: Node, shared: readonly (readonly [number, number])[]): Node {
  if (shared.length === 0) return query;
  const sameAs = new Map(shared.map(([at, firstAt]) => [at, firstAt]));
  const byPosition: Node[] = [];
  let position = 0;
  const visit = (node: Node): Node => {
    const here = position++;
    // Its own copy is walked all the same: the positions after it count every place.
    const before = children(node);
    const after = before.map(visit);
    // Parsed JSON, so a copy with other children is the same node but for them.
    const rebuilt: Node = after.every((c, i) => c === before[i]) ? node : node.kind === 'not' ? { ...node, child: after[0] as Node } : { ...(node as Extract<Node, { children: readonly Node[] }>), children: after };
    byPosition[here] = rebuilt;
    const firstAt = sameAs.get(here);
    return firstAt === undefined ? rebuilt : (byPosition[firstAt] as Node);
  };
  return visit(query);
}

/** The rule again, as defineRule made it: frozen, its query nodes frozen and with their origins. */
export function restoreRule(stored: StoredRule): Rule {
  // The parsed cache entry itself: it is read once per build and never changed.
  const data = stored.rule as Rule;
  const query = deepFreeze(reshare(data.query ?? and([]), stored.shared ?? []));
  let i = 0;
  walk(query, (n) => {
    const at = stored.origins[i++];
    if (at !== undefined && at !== null) setOrigin(n, { file: at[0], line: at[1], column: at[2] } satisfies SourceLocation);
  });
  const rule = Object.freeze({ ...data, query });
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
