/**
 * Portable Sigma: forms every pySigma backend siemc checks (Splunk, Lucene, EQL) converts.
 * pySigma's EQL backend refuses `|exists`, but converts Sigma's null test (`f: null`, "the field
 * is absent or null"): `not f: null` is `?f != null` in EQL, `_exists_:f` in Lucene and `f=*`
 * in Splunk, the same as each backend's `|exists`. So an exists check is rewritten exactly, as
 * the negation of a null test; `|cased` (refused by the Splunk and Lucene backends) has no exact
 * replacement and is dropped by the detection builder, with a warning.
 */
import { and, assertNever, exists, not, or, type ExistsNode, type Node } from '../../ir/nodes.js';
import { inherit } from '../../ir/origins.js';

export interface NullChecks {
  readonly query: Node;
  /** The leaves that stand for `f: null` (a copy of the exists node they replace). */
  readonly has: (node: Node) => boolean;
}

export function existsAsNullChecks(query: Node): NullChecks {
  const checks = new WeakSet<Node>();
  const nullCheck = (e: ExistsNode, label = e.label): Node => {
    const copy = inherit(e, exists(e.field, label));
    checks.add(copy);
    return copy;
  };
  const rewrite = (node: Node): Node => {
    switch (node.kind) {
      case 'exists':
        return not(nullCheck(node));
      case 'not':
        // not exists = the null test itself.
        return node.child.kind === 'exists' ? nullCheck(node.child, node.label ?? node.child.label) : inherit(node, not(rewrite(node.child), node.label));
      case 'and':
        return inherit(node, and(node.children.map(rewrite), node.label));
      case 'or':
        return inherit(node, or(node.children.map(rewrite), node.label));
      case 'match':
      case 'equals':
      case 'range':
      case 'cidr':
      case 'regex':
        return node;
      default:
        return assertNever(node, 'IR node');
    }
  };
  return { query: rewrite(query), has: (node) => checks.has(node) };
}
