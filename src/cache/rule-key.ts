/**
 * What a rule's compiled outputs and test verdicts depend on, as hash keys: its normalised IR,
 * where each clause was written (diagnostics point there), its metadata, the project config
 * and siemc's version. Equal keys mean equal results, so a rule with an unchanged key is not
 * compiled or tested again.
 */
import { createHash } from 'node:crypto';
import type { ProjectConfig } from '../config.js';
import type { Rule } from '../model/rule.js';
import { isLeaf, type Node } from '../ir/nodes.js';
import { normalize } from '../ir/normalize.js';
import { originOf } from '../ir/origins.js';
import { siemcVersion } from './version.js';

/** Origins of the nodes, in walk order (they sit beside the tree, not in it). */
function origins(node: Node, out: unknown[]): unknown[] {
  const at = originOf(node);
  out.push(at === undefined ? null : [at.file, at.line, at.column]);
  if (!isLeaf(node)) {
    if (node.kind === 'not') origins(node.child, out);
    else for (const c of node.children) origins(c, out);
  }
  return out;
}

export interface RuleKeys {
  /** The normalised query the keys were computed from. */
  readonly query: Node;
  /** For the rule's own tests (query, origins, tests, location). */
  readonly tests: string;
  /** For compiled outputs (everything about the rule, and the config). */
  readonly compile: (config: ProjectConfig) => string;
}

const hash = (parts: readonly string[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

const memo = new WeakMap<Rule, RuleKeys>();

export function ruleKeys(rule: Rule): RuleKeys {
  const known = memo.get(rule);
  if (known !== undefined) return known;
  const query = normalize(rule.query);
  const ir = JSON.stringify(query);
  const where = JSON.stringify([origins(query, []), rule.location ?? null]);
  const tests = hash([siemcVersion(), 'tests', ir, where, JSON.stringify(rule.tests)]);
  const { query: _query, ...metadata } = rule;
  void _query;
  const meta = JSON.stringify(metadata);
  const keys: RuleKeys = { query, tests, compile: (config) => hash([siemcVersion(), 'compile', JSON.stringify(config), ir, where, meta]) };
  memo.set(rule, keys);
  return keys;
}
