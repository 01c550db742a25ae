/**
 * The one traversal of the IR. A pass that treats every node of a kind the same way, whatever
 * sits around it, is a fold: it names what each kind becomes, given what its children became,
 * and the exhaustive mapped type makes a new node kind a compile error in every pass at once.
 * Passes that need context from above (a path, a polarity) use `visit`, which hands each node
 * the value its parent computed.
 *
 * Passes that decide on their own where to descend (the evaluator short-circuits, printers
 * choose parentheses from the parent's precedence) keep their own exhaustive switch.
 */
import { and, assertNever, isLeaf, not, or, type AndNode, type LeafNode, type Node, type NotNode, type OrNode } from './nodes.js';
import { inherit } from './origins.js';

/** What each node kind becomes; groups receive their children's results, in order. */
export interface Fold<R> {
  readonly and: (node: AndNode, children: readonly R[]) => R;
  readonly or: (node: OrNode, children: readonly R[]) => R;
  readonly not: (node: NotNode, child: R) => R;
  readonly leaf: (node: LeafNode) => R;
}

export function fold<R>(node: Node, f: Fold<R>): R {
  if (isLeaf(node)) return f.leaf(node);
  switch (node.kind) {
    case 'and':
      return f.and(node, node.children.map((c) => fold(c, f)));
    case 'or':
      return f.or(node, node.children.map((c) => fold(c, f)));
    case 'not':
      return f.not(node, fold(node.child, f));
    default:
      return assertNever(node, 'IR group');
  }
}

/** The node's direct children: none for a leaf. */
export function childrenOf(node: Node): readonly Node[] {
  if (isLeaf(node)) return [];
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children;
    case 'not':
      return [node.child];
    default:
      return assertNever(node, 'IR group');
  }
}

/**
 * Pre-order walk: `enter` sees each node with the context its parent produced and returns the
 * context for that node's children. Every occurrence is visited, so a node object that sits in
 * two places is seen twice, each time with its own context.
 */
export function visit<C>(node: Node, context: C, enter: (node: Node, context: C) => C): void {
  const inner = enter(node, context);
  for (const child of childrenOf(node)) visit(child, inner, enter);
}

/** Rebuilds a tree with each leaf replaced (groups keep their labels and origins). */
export function mapLeaves(node: Node, f: (leaf: LeafNode) => Node): Node {
  return fold<Node>(node, {
    and: (n, children) => inherit(n, and(children, n.label)),
    or: (n, children) => inherit(n, or(children, n.label)),
    not: (n, child) => inherit(n, not(child, n.label)),
    leaf: f,
  });
}

/** Every leaf occurrence, left to right. */
export function leavesOf(node: Node): LeafNode[] {
  const out: LeafNode[] = [];
  visit(node, undefined, (n) => {
    if (isLeaf(n)) out.push(n);
  });
  return out;
}
