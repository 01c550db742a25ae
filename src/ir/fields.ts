/** The fields a query reads, in order of first use. */
import { assertNever, type Field, type Node } from './nodes.js';

export function fieldsOf(node: Node): Field[] {
  const out = new Map<string, Field>();
  const walk = (n: Node): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        n.children.forEach(walk);
        return;
      case 'not':
        walk(n.child);
        return;
      case 'match':
      case 'exists':
      case 'equals':
      case 'range':
      case 'cidr':
      case 'regex':
        if (!out.has(n.field.name)) out.set(n.field.name, n.field);
        return;
      default:
        assertNever(n, 'IR node');
    }
  };
  walk(node);
  return [...out.values()];
}
