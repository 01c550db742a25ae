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

/** The two digests a rule's keys are made from; kept with a cached module result (src/loader/module-results.ts). */
export interface RuleDigests {
  readonly tests: string;
  /** Everything about the rule a compiled output depends on, apart from the config. */
  readonly rest: string;
}

const digestsOf = new WeakMap<Rule, RuleDigests>();

function keysFrom(rule: Rule, digests: RuleDigests, query: Node | undefined): RuleKeys {
  let normalised = query;
  const keys: RuleKeys = {
    // A rule from a cached module result is normalised only when it is tested or compiled.
    get query() {
      normalised ??= normalize(rule.query);
      return normalised;
    },
    tests: digests.tests,
    compile: (config) => hash([siemcVersion(), 'compile', JSON.stringify(config), digests.rest]),
  };
  digestsOf.set(rule, digests);
  memo.set(rule, keys);
  return keys;
}

export function ruleKeys(rule: Rule): RuleKeys {
  const known = memo.get(rule);
  if (known !== undefined) return known;
  const query = normalize(rule.query);
  const ir = JSON.stringify(query);
  const where = JSON.stringify([origins(query, []), rule.location ?? null]);
  const { query: _query, tests: testEvents, ...metadata } = rule;
  void _query;
  // Hashed once: the events are most of a rule's text, and both keys depend on them.
  const events = hash([JSON.stringify(testEvents)]);
  const tests = hash([siemcVersion(), 'tests', ir, where, events]);
  // Only digests are kept (the memo lives as long as the rule): the texts of a rule with 50
  // test events are tens of kilobytes, hundreds of megabytes over thousands of rules.
  const rest = hash([ir, where, JSON.stringify(metadata), events]);
  return keysFrom(rule, { tests, rest }, query);
}

export function ruleDigests(rule: Rule): RuleDigests {
  ruleKeys(rule);
  return digestsOf.get(rule) as RuleDigests;
}

/**
 * Gives a rule rebuilt from a cached module result the keys recorded with it: equal rules have
 * equal keys (siemc's version is part of the module result's key), and hashing the test events
 * of every rule again was a third of a rebuild.
 */
export function seedRuleKeys(rule: Rule, digests: RuleDigests): void {
  if (!memo.has(rule)) keysFrom(rule, digests, undefined);
}
