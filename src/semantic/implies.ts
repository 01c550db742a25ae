/**
 * A cheap, sound and incomplete implication test between queries: `implies(a, b)` true means
 * every event `a` matches is matched by `b` (false means "not shown here", nothing more).
 *
 * The emitter asks it before looking for the near miss "every clause but this one holds": when
 * another clause implies this one, there is none, and proving that with the exact decision
 * (src/semantic/compare.ts) takes seconds on Sigma's `contains` lists (`advfirewall` and
 * `firewall`, a selection repeated inside `1 of selection_*`).
 *
 * Leaves compare value by value (a leaf holds when one of the field's values does), so one
 * string leaf implies another when every pattern of the first is covered by one of the second:
 * the same pattern, or `*b*` / `*b` / `b*` around a literal part that contains / ends / starts
 * with `b`. Case folds ASCII letters only (docs/semantics.md), and a case-sensitive pattern never
 * covers a case-insensitive one.
 */
import { isLeaf, type LeafNode, type MatchNode, type Node } from '../ir/nodes.js';
import { patternKey, type Pattern } from '../ir/pattern.js';
import { leafKey } from './cells.js';

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));

/** `q` (read with `qCi`) matches every string `p` (read with `pCi`) matches. */
export function patternCovers(q: Pattern, qCi: boolean, p: Pattern, pCi: boolean): boolean {
  if (pCi && !qCi) return false;
  const fold = qCi ? asciiLower : (s: string): string => s;
  if (patternKey(q) === patternKey(p)) return true;
  const [first, second, third] = q;
  if (q.length === 1 && first?.kind === 'anyRun') return true;
  const literals = p.filter((x) => x.kind === 'literal').map((x) => fold(x.text));
  if (q.length === 3 && first?.kind === 'anyRun' && second?.kind === 'literal' && third?.kind === 'anyRun') {
    const b = fold(second.text);
    return literals.some((t) => t.includes(b));
  }
  if (q.length === 2 && first?.kind === 'anyRun' && second?.kind === 'literal') {
    const last = p[p.length - 1];
    return last?.kind === 'literal' && fold(last.text).endsWith(fold(second.text));
  }
  if (q.length === 2 && first?.kind === 'literal' && second?.kind === 'anyRun') {
    const head = p[0];
    return head?.kind === 'literal' && fold(head.text).startsWith(fold(first.text));
  }
  return false;
}

function matchImplies(a: MatchNode, b: MatchNode): boolean {
  return a.patterns.every((p) => b.patterns.some((q) => patternCovers(q, b.caseInsensitive, p, a.caseInsensitive)));
}

function leafImplies(a: LeafNode, b: LeafNode): boolean {
  if (a.field.name !== b.field.name) return false;
  if (leafKey(a) === leafKey(b)) return true;
  // A leaf that holds on a value of the field implies the field has one.
  if (b.kind === 'exists') return true;
  return a.kind === 'match' && b.kind === 'match' && matchImplies(a, b);
}

/** Every event `a` matches, `b` matches (when this returns true). */
export function implies(a: Node, b: Node, depth = 0): boolean {
  if (depth > 12) return false;
  if (a.kind === 'or') return a.children.every((c) => implies(c, b, depth + 1));
  if (b.kind === 'and') return b.children.every((c) => implies(a, c, depth + 1));
  if (a.kind === 'and' && a.children.some((c) => implies(c, b, depth + 1))) return true;
  if (b.kind === 'or' && b.children.some((c) => implies(a, c, depth + 1))) return true;
  if (a.kind === 'not' && b.kind === 'not') return implies(b.child, a.child, depth + 1);
  return isLeaf(a) && isLeaf(b) && leafImplies(a, b);
}
