/**
 * Witness events built directly from a query's leaves, without automata: the fast path for
 * "an event that `x` matches and `y` does not" (src/emit/test-events.ts asks it for every
 * imported rule). The exact decision (src/semantic/compare.ts) determinises every string leaf;
 * a Sigma rule with a hundred `contains` values takes seconds there, here microseconds.
 *
 * 1. The goal `x and not y` becomes a boolean formula over the distinct leaves, and a small
 *    search (src/semantic/search.ts) yields partial truth assignments that make it true,
 *    leaves false first (so events stay small).
 * 2. Each assignment is realised field by field: for every leaf that must hold, a value derived
 *    from it (a pattern instance, a regex word, a bound, a network address) that holds it and no
 *    leaf that must not; a field with only false leaves is left out.
 * 3. The event is checked with the reference evaluator; only a confirmed event is returned.
 *
 * It is incomplete by design (a value that needs to dodge a false leaf in a way no derived value
 * does is not found): undefined means "not found here", never "there is none", and the caller
 * asks the exact decision then.
 */
import { evaluate } from '../eval/evaluate.js';
import type { Json, Scalar } from '../eval/values.js';
import { assertNever, isLeaf, type LeafNode, type Node } from '../ir/nodes.js';
import { holdsOn, leafKey } from './cells.js';
import { buildEvent } from './events.js';
import { OutsideDecision, regexWord } from './languages.js';
import { foldAsciiCase } from '../ir/regex.js';
import { derivedValues } from './random-search.js';
import { satisfying, type Formula, type SearchBudget } from './search.js';

export interface ConstructOptions {
  /** Truth assignments tried per question (default 64). */
  readonly maxAssignments?: number;
  /** Search nodes per question (default 20,000). */
  readonly maxSearchSteps?: number;
}

interface LeafIndex {
  readonly leaves: LeafNode[];
  readonly byKey: Map<string, number>;
  /** Candidate values per leaf, derived once (a regex word costs an automaton). */
  readonly candidates: Map<number, readonly Scalar[]>;
}

function formulaOf(node: Node, index: LeafIndex): Formula {
  if (isLeaf(node)) {
    const key = `${node.field.name}\u0000${leafKey(node)}`;
    let v = index.byKey.get(key);
    if (v === undefined) {
      v = index.leaves.length;
      index.leaves.push(node);
      index.byKey.set(key, v);
    }
    return { kind: 'leaf', vars: [v] };
  }
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => formulaOf(c, index)) };
    case 'not':
      return { kind: 'not', child: formulaOf(node.child, index) };
    default:
      return assertNever(node, 'IR group');
  }
}

function candidatesOf(v: number, index: LeafIndex): readonly Scalar[] {
  let list = index.candidates.get(v);
  if (list === undefined) {
    const leaf = index.leaves[v] as LeafNode;
    // Derived values can be many (a pattern list times its case variants); duplicates cost evaluations.
    // A regex's word comes from its NFA: the DFA derivedValues builds can take seconds (`.{2,128}`).
    const word = leaf.kind === 'regex' ? regexWord(leaf.caseInsensitive ? foldAsciiCase(leaf.regex) : leaf.regex) : undefined;
    list = [...new Set(leaf.kind === 'regex' ? (word === undefined ? [] : [word, word.toUpperCase(), word.toLowerCase()]) : derivedValues(leaf))];
    index.candidates.set(v, list);
  }
  return list;
}

/** Values for one field: every `mustHold` leaf held by one of them, no `mustFail` leaf by any; undefined when not found. */
function realiseField(mustHold: readonly number[], mustFail: readonly number[], index: LeafIndex, fieldLeaves: readonly number[]): Scalar[] | undefined {
  const leaf = (v: number): LeafNode => index.leaves[v] as LeafNode;
  if (mustHold.length === 0) return [];
  // A false `exists` leaves the field out, which no true leaf survives.
  if (mustFail.some((v) => leaf(v).kind === 'exists')) return undefined;
  const clean = (value: Scalar): boolean => mustFail.every((f) => !holdsOn(leaf(f), value));
  const values: Scalar[] = [];
  const held = (v: number): boolean => values.some((value) => holdsOn(leaf(v), value));
  // Non-exists leaves first: their values usually give the field the value an `exists` needs.
  const order = [...mustHold].sort((a, b) => Number(leaf(a).kind === 'exists') - Number(leaf(b).kind === 'exists'));
  for (const v of order) {
    if (held(v)) continue;
    const l = leaf(v);
    const pool: readonly Scalar[] =
      l.kind === 'exists' ? ['x', ...fieldLeaves.flatMap((o) => candidatesOf(o, index)), '', 0] : candidatesOf(v, index);
    const found = pool.find((value) => (l.kind === 'exists' || holdsOn(l, value)) && clean(value));
    if (found === undefined) return undefined;
    values.push(found);
  }
  return values;
}

/**
 * For each pair `[x, y]`, an event `x` matches and `y` does not, confirmed by the evaluator, or
 * undefined when this construction finds none (there may still be one).
 */
export function constructWitnesses(pairs: readonly (readonly [Node, Node])[], options: ConstructOptions = {}): (Json | undefined)[] {
  const index: LeafIndex = { leaves: [], byKey: new Map(), candidates: new Map() };
  const goals = pairs.map(([x, y]): Formula => ({ kind: 'and', children: [formulaOf(x, index), { kind: 'not', child: formulaOf(y, index) }] }));
  const byField = new Map<string, number[]>();
  index.leaves.forEach((l, v) => byField.set(l.field.name, [...(byField.get(l.field.name) ?? []), v]));
  return pairs.map(([x, y], i) => {
    const budget: SearchBudget = { maxSteps: options.maxSearchSteps ?? 20_000, steps: 0 };
    let tried = 0;
    try {
      for (const a of satisfying(goals[i] as Formula, index.leaves.length, new Map(), budget)) {
        if (++tried > (options.maxAssignments ?? 64)) return undefined;
        const values = new Map<string, Scalar[]>();
        let ok = true;
        for (const [field, vars] of byField) {
          const realised = realiseField(
            vars.filter((v) => a[v] === 1),
            vars.filter((v) => a[v] === 0),
            index,
            vars,
          );
          if (realised === undefined) {
            ok = false;
            break;
          }
          if (realised.length > 0) values.set(field, realised);
        }
        if (!ok) continue;
        const event = buildEvent(values);
        if (evaluate(x, event) && !evaluate(y, event)) return event;
      }
    } catch (e) {
      if (!(e instanceof OutsideDecision)) throw e;
    }
    return undefined;
  });
}
