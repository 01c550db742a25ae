/**
 * A query as plain data for a cache file or another thread, with what JSON and structured
 * clone lose kept beside it: where each node was written (./origins.ts, a side table) and
 * which places hold one node object. Compiling tells one node under `not` and outside it
 * ("not expressible") from two equal nodes, and reports an approximation of one node once.
 */
import type { SourceLocation } from '../model/location.js';
import { isLeaf, type Node } from './nodes.js';
import { originOf, setOrigin } from './origins.js';

export type Origin = readonly [string, number, number] | null;

export interface QueryShape {
  /** The origin of every node, in walk order (pre-order, a node held in two places walked twice). */
  readonly origins: readonly Origin[];
  /** Places holding a node met before, as [position, position of its first place], in walk order. */
  readonly shared?: readonly (readonly [number, number])[];
}

function children(node: Node): readonly Node[] {
  if (isLeaf(node)) return [];
  return node.kind === 'not' ? [node.child] : node.children;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/** What a plain copy of `query` needs beside it to become `query` again (restoreQuery). */
export function shapeOf(query: Node): QueryShape {
  const origins: Origin[] = [];
  const first = new Map<Node, number>();
  const shared: [number, number][] = [];
  walk(query, (n) => {
    const at = originOf(n);
    const known = first.get(n);
    if (known === undefined) first.set(n, origins.length);
    else shared.push([origins.length, known]);
    origins.push(at === undefined ? null : [at.file, at.line, at.column]);
  });
  return shared.length === 0 ? { origins } : { origins, shared };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The copy with each node of several places made one object again. */
function reshare(query: Node, shared: readonly (readonly [number, number])[]): Node {
  if (shared.length === 0) return query;
  const sameAs = new Map(shared.map(([at, firstAt]) => [at, firstAt]));
  const byPosition: Node[] = [];
  let position = 0;
  const visit = (node: Node): Node => {
    const here = position++;
    // Its own copy is walked all the same: the positions after it count every place.
    const before = children(node);
    const after = before.map(visit);
    // A plain copy, so one with other children is the same node but for them.
    const rebuilt: Node =
      after.every((c, i) => c === before[i]) ? node : node.kind === 'not' ? { ...node, child: after[0] as Node } : { ...(node as Extract<Node, { children: readonly Node[] }>), children: after };
    byPosition[here] = rebuilt;
    const firstAt = sameAs.get(here);
    return firstAt === undefined ? rebuilt : (byPosition[firstAt] as Node);
  };
  return visit(query);
}

/**
 * A plain copy of a query (parsed JSON, a structured clone) as the query it was copied from:
 * shared nodes one object again, every node frozen and with its origin. Takes the copy over.
 */
export function restoreQuery(copy: Node, shape: QueryShape): Node {
  const query = deepFreeze(reshare(copy, shape.shared ?? []));
  let i = 0;
  walk(query, (n) => {
    const at = shape.origins[i++];
    if (at !== undefined && at !== null) setOrigin(n, { file: at[0], line: at[1], column: at[2] } satisfies SourceLocation);
  });
  return query;
}
