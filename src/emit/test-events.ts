/**
 * Test events for rules that arrive without any (imported rules; `siemc build` needs at least
 * one, SIEMC-R030). They come from the semantic comparison (src/semantic/compare.ts), whose
 * witnesses are the shortest readable events in each cell combination:
 *
 * - "generated: matches": a witness of `query` against a query that matches nothing;
 * - "generated: no match, only <clause> fails": for each top-level clause of a conjunction, an event
 *   that every other clause accepts and this one refuses (the near misses a reviewer wants);
 * - "generated: no match": otherwise, a witness of a query that matches everything against `query`.
 *
 * Every event is checked with the reference evaluator on the normalised query (what siemc build
 * checks) before it is kept, so a wrong event can never be written.
 */
import { evaluate } from '../eval/evaluate.js';
import { and, describeNode, isLeaf, or, type Node } from '../ir/nodes.js';
import { normalize } from '../ir/normalize.js';
import type { Json } from '../model/event.js';
import type { RuleTest } from '../model/rule.js';
import { firstWitnesses } from '../semantic/compare.js';
import { constructWitnesses } from '../semantic/construct.js';
import { implies } from '../semantic/implies.js';

const NOTHING: Node = or([]);
const EVERYTHING: Node = and([]);

export interface TestGenerationOptions {
  /** Near-miss events at most, one per top-level clause (default 6). */
  readonly maxNearMisses?: number;
  /** Search steps per comparison (default 50,000), which bounds the time a huge rule takes. */
  readonly maxSearchSteps?: number;
}

/** A short name for a clause: its label, else what it tests (`match process.name`). */
function clauseName(node: Node): string {
  if (node.label !== undefined) return node.label;
  if (node.kind === 'not') return `not ${clauseName(node.child)}`;
  if (isLeaf(node)) return describeNode(node);
  return `${node.kind === 'and' ? 'all' : 'any'} of ${node.children.length}`;
}

/** Generated test events, each confirmed by the evaluator; at least one matching and one not, when the query allows both. */
export function generateTests(query: Node, options: TestGenerationOptions = {}): RuleTest[] {
  const steps = options.maxSearchSteps ?? 50_000;
  const normal = normalize(query);
  const tests: RuleTest[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  const keep = (name: string, expect: RuleTest['expect'], event: Json | undefined): boolean => {
    if (event === undefined) return false;
    const key = JSON.stringify(event);
    if (seen.has(key) || (evaluate(normal, event) ? 'match' : 'no match') !== expect) return false;
    let unique = name;
    for (let n = 2; names.has(unique); n++) unique = `${name} (${n})`;
    seen.add(key);
    names.add(unique);
    tests.push({ name: unique, expect, event });
    return true;
  };
  // All the questions at once: they share leaves, so one cell model answers them.
  const clauses = normal.kind === 'and' ? normal.children.slice(0, options.maxNearMisses ?? 6) : [];
  const children = normal.kind === 'and' ? normal.children : [];
  // "Only this clause fails" is impossible when another clause implies it: no question to ask.
  const possible = clauses.map((clause, i) => !children.some((other, j) => j !== i && implies(other, clause)));
  const pairs: [Node, Node][] = [
    [normal, NOTHING],
    [EVERYTHING, normal],
    ...clauses.flatMap((_, i): [Node, Node][] => (possible[i] === true ? [[and(children.filter((_, j) => j !== i)), normal]] : [])),
  ];
  // Built from the leaves first (fast); only the questions that finds no event for go to the exact
  // decision, whose automata take seconds on a long case-insensitive `contains` list.
  const quick = constructWitnesses(pairs);
  const open = pairs.filter((_, i) => quick[i] === undefined);
  const exact = open.length === 0 ? [] : firstWitnesses(open, { maxSearchSteps: steps * open.length, randomEvents: 500 });
  let next = 0;
  const [matching, missing, ...asked] = quick.map((w) => w ?? exact[next++]);
  let nextAsked = 0;
  const nearMisses = possible.map((p) => (p ? asked[nextAsked++] : undefined));
  keep('generated: matches', 'match', matching);
  let kept = 0;
  clauses.forEach((clause, i) => {
    if (keep(`generated: no match, only ${clauseName(clause)} fails`, 'no match', nearMisses[i])) kept++;
  });
  if (kept === 0) keep('generated: no match', 'no match', missing);
  return tests;
}
