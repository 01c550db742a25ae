/**
 * Which clause decided an event's verdict: for a failing rule test, the reader wants the one
 * condition to look at, not the whole query. The walk follows the evaluator (src/eval/evaluate.ts).
 */
import { assertNever, describeNode, isLeaf, type Node } from '../ir/nodes.js';
import { evaluate } from './evaluate.js';
import type { Json } from './values.js';

export interface Decision {
  /** The path to the deciding node, as diagnostics name clauses: `and > not "Trusted" > match process.name`. */
  readonly clause: string;
  /** That node's own value on the event. */
  readonly holds: boolean;
  readonly node: Node;
}

/**
 * A false `and` is decided by its first false child; a true `or` by its first true child; a
 * true `and` or a false `or` needs all children, so the node itself decides; `not` passes
 * through to its child.
 */
export function decidingClause(root: Node, event: Json): Decision {
  let node = root;
  const path: string[] = [];
  for (;;) {
    path.push(describeNode(node));
    const holds = evaluate(node, event);
    if (isLeaf(node)) return { clause: path.join(' > '), holds, node };
    switch (node.kind) {
      case 'not':
        node = node.child;
        continue;
      case 'and':
      case 'or': {
        const decisive = node.kind === 'and' ? !holds : holds;
        const child = decisive ? node.children.find((c) => evaluate(c, event) === holds) : undefined;
        if (child === undefined) return { clause: path.join(' > '), holds, node };
        node = child;
        continue;
      }
      default:
        return assertNever(node, 'IR group');
    }
  }
}
