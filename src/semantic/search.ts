/**
 * A small backtracking (DPLL-style) search over "field f has a value in cell c" variables.
 *
 * Every assignment of these variables is realisable by an event: a field holds an array with
 * one value per chosen cell, or is missing when it has none. So there are no constraints
 * between variables, and a rule is a plain boolean formula over them.
 */
import { assertNever } from '../ir/nodes.js';
import { OutsideDecision } from './languages.js';

export type Formula =
  | { readonly kind: 'and' | 'or'; readonly children: readonly Formula[] }
  | { readonly kind: 'not'; readonly child: Formula }
  /** A leaf: true when at least one of the variables is true (no variables: always false). */
  | { readonly kind: 'leaf'; readonly vars: readonly number[] };

const FALSE = 0;
const TRUE = 1;
const OPEN = 2;
type Truth = typeof FALSE | typeof TRUE | typeof OPEN;

/** Assignment: 0 false, 1 true, -1 not yet chosen. */
export type Assignment = Int8Array;

function truth(f: Formula, a: Assignment): Truth {
  switch (f.kind) {
    case 'leaf': {
      let open = false;
      for (const v of f.vars) {
        const x = a[v];
        if (x === 1) return TRUE;
        if (x === -1) open = true;
      }
      return open ? OPEN : FALSE;
    }
    case 'not': {
      const t = truth(f.child, a);
      return t === OPEN ? OPEN : t === TRUE ? FALSE : TRUE;
    }
    case 'and':
    case 'or': {
      const absorbing = f.kind === 'and' ? FALSE : TRUE;
      let open = false;
      for (const c of f.children) {
        const t = truth(c, a);
        if (t === absorbing) return absorbing;
        if (t === OPEN) open = true;
      }
      return open ? OPEN : f.kind === 'and' ? TRUE : FALSE;
    }
    default:
      return assertNever(f, 'formula');
  }
}

/**
 * The next variable to decide: the first open leaf on the way down open subtrees, set the way
 * that leaf's polarity wants it (true under an even number of negations), so witnesses
 * stay small: a leaf that must be false keeps its field's cells unchosen.
 */
function branch(f: Formula, a: Assignment, wanted: boolean): { readonly v: number; readonly value: boolean } | undefined {
  switch (f.kind) {
    case 'leaf': {
      const v = f.vars.find((x) => a[x] === -1);
      return v === undefined ? undefined : { v, value: wanted };
    }
    case 'not':
      return branch(f.child, a, !wanted);
    case 'and':
    case 'or':
      for (const c of f.children) {
        if (truth(c, a) !== OPEN) continue;
        const b = branch(c, a, wanted);
        if (b !== undefined) return b;
      }
      return undefined;
    default:
      return assertNever(f, 'formula');
  }
}

export interface SearchBudget {
  /** Search nodes allowed, shared by every search of one comparison. */
  readonly maxSteps: number;
  steps: number;
}

/**
 * Yields disjoint partial assignments under which `goal` is true whatever the open variables
 * are; `fixed` variables are never branched on. Throws OutsideDecision when the budget runs out.
 */
export function* satisfying(goal: Formula, variables: number, fixed: ReadonlyMap<number, boolean>, budget: SearchBudget): Generator<Assignment> {
  const a: Assignment = new Int8Array(variables).fill(-1);
  for (const [v, value] of fixed) a[v] = value ? 1 : 0;
  function* go(): Generator<Assignment> {
    if (++budget.steps > budget.maxSteps) throw new OutsideDecision('budget', `the search exceeded ${budget.maxSteps} steps`);
    const t = truth(goal, a);
    if (t === FALSE) return;
    if (t === TRUE) {
      yield a.slice();
      return;
    }
    const b = branch(goal, a, true);
    if (b === undefined) return;
    for (const value of [b.value, !b.value]) {
      a[b.v] = value ? 1 : 0;
      yield* go();
    }
    a[b.v] = -1;
  }
  yield* go();
}
