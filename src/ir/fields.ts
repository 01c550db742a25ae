/** The fields a query reads, in order of first use. */
import { assertNever, isLeaf, type Field, type Node } from './nodes.js';

export function fieldsOf(node: Node): Field[] {
  const out = new Map<string, Field>();
  const walk = (n: Node): void => {
    if (isLeaf(n)) {
      if (!out.has(n.field.name)) out.set(n.field.name, n.field);
      return;
    }
    switch (n.kind) {
      case 'and':
      case 'or':
        n.children.forEach(walk);
        return;
      case 'not':
        walk(n.child);
        return;
      default:
        assertNever(n, 'IR group');
    }
  };
  walk(node);
  return [...out.values()];
}
