/**
 * Where in the rule source each IR node was written. Kept beside the tree rather than in it,
 * so that two nodes with the same meaning stay structurally equal; passes that rebuild a node
 * carry its origin over with `inherit`.
 */
import type { SourceLocation } from '../model/location.js';
import type { Node } from './nodes.js';

// On globalThis for the same reason as the rule-problem list (src/dsl/problems.ts): the CLI and
// the rule modules it loads may hold two copies of this module.
const KEY = Symbol.for('siemc.ir-origins');
const holder = globalThis as { [KEY]?: WeakMap<Node, SourceLocation> };
const origins: WeakMap<Node, SourceLocation> = (holder[KEY] ??= new WeakMap());

export function setOrigin(node: Node, at: SourceLocation | undefined): void {
  if (at !== undefined && !origins.has(node)) origins.set(node, at);
}

export function originOf(node: Node): SourceLocation | undefined {
  return origins.get(node);
}

/** Gives `to` the origin of `from` (when it has none of its own) and returns `to`. */
export function inherit<T extends Node>(from: Node, to: T): T {
  setOrigin(to, origins.get(from));
  return to;
}
