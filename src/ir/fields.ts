/** The fields a query reads, in order of first use. */
import { visit } from './fold.js';
import { isLeaf, type Field, type Node } from './nodes.js';

export function fieldsOf(node: Node): Field[] {
  const out = new Map<string, Field>();
  visit(node, undefined, (n) => {
    if (isLeaf(n) && !out.has(n.field.name)) out.set(n.field.name, n.field);
  });
  return [...out.values()];
}
