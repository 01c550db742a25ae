/**
 * Normalisation passes. Each is a pure function from IR to IR that preserves meaning
 * (test/ir/normalize.test.ts checks that with the evaluator on random trees).
 */
import { and, assertNever, isLeaf, match, not, or, type MatchNode, type Node } from './nodes.js';
import { mapLeaves } from './fold.js';
import { inherit } from './origins.js';
import { patternKey, type Pattern } from './pattern.js';

export function normalize(node: Node): Node {
  return foldSameFieldOrs(flatten(dedupePatterns(node)));
}

/** Removes repeated patterns from match lists (the reference domain list has duplicates). */
export function dedupePatterns(node: Node): Node {
  return mapLeaves(node, (leaf) => {
    if (leaf.kind !== 'match') return leaf;
    const seen = new Set<string>();
    const unique: Pattern[] = [];
    for (const p of leaf.patterns) {
      const key = patternKey(p);
      if (!seen.has(key)) {
        seen.add(key);
        unique.push(p);
      }
    }
    return unique.length === leaf.patterns.length ? leaf : inherit(leaf, match(leaf.field, unique, leaf.caseInsensitive, leaf.label));
  });
}

/**
 * Splices unlabelled and-in-and / or-in-or, unwraps single-child groups and double negation.
 * Labelled groups stay, so a clause a rule author named keeps its name in every target.
 */
export function flatten(node: Node): Node {
  if (isLeaf(node)) return node;
  switch (node.kind) {
    case 'and':
    case 'or': {
      const children: Node[] = [];
      for (const child of node.children.map(flatten)) {
        if (child.kind === node.kind && child.label === undefined) children.push(...child.children);
        else children.push(child);
      }
      const only = children[0];
      if (children.length === 1 && only !== undefined) return relabel(only, node.label);
      return inherit(node, node.kind === 'and' ? and(children, node.label) : or(children, node.label));
    }
    case 'not': {
      const child = flatten(node.child);
      if (child.kind === 'not' && node.label === undefined && child.label === undefined) return child.child;
      return inherit(node, not(child, node.label));
    }
    default:
      return assertNever(node, 'IR group');
  }
}

/**
 * `f: a or f: b` becomes `f: (a, b)` when case handling agrees; order of first appearance is kept.
 * Siblings are gathered per field first and each merged leaf is built once, so an `or` of n
 * leaves costs O(n), not the O(n²) of merging them pairwise.
 */
export function foldSameFieldOrs(node: Node): Node {
  if (isLeaf(node)) return node;
  switch (node.kind) {
    case 'or': {
      const children: Node[] = [];
      // For each foldable key: where its first leaf sits in `children`, and every leaf folded into it.
      const groups = new Map<string, { readonly at: number; readonly leaves: MatchNode[] }>();
      for (const child of node.children.map(foldSameFieldOrs)) {
        if (child.kind === 'match' && child.label === undefined) {
          const key = `${child.field.name}\u0000${child.caseInsensitive}`;
          const group = groups.get(key);
          if (group !== undefined) {
            group.leaves.push(child);
            continue;
          }
          groups.set(key, { at: children.length, leaves: [child] });
        }
        children.push(child);
      }
      for (const { at, leaves } of groups.values()) {
        // normalize() deduplicates every leaf before this pass, so only merged leaves can gain repeats.
        if (leaves.length > 1) children[at] = dedupePatterns(mergeMatches(leaves));
      }
      const only = children[0];
      if (children.length === 1 && only !== undefined) return relabel(only, node.label);
      return inherit(node, or(children, node.label));
    }
    case 'and':
      return inherit(node, and(node.children.map(foldSameFieldOrs), node.label));
    case 'not':
      return inherit(node, not(foldSameFieldOrs(node.child), node.label));
    default:
      return assertNever(node, 'IR group');
  }
}

/** One leaf with the patterns of all the leaves, in order; it keeps the first leaf's origin. */
function mergeMatches(leaves: readonly MatchNode[]): MatchNode {
  const first = leaves[0] as MatchNode;
  return inherit(first, match(first.field, leaves.flatMap((l) => l.patterns), first.caseInsensitive, first.label));
}

function relabel(node: Node, label: string | undefined): Node {
  if (label === undefined || node.label !== undefined) return node;
  return inherit(node, Object.freeze({ ...node, label }));
}

