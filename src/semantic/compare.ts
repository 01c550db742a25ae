/**
 * Semantic comparison of two versions of a rule's query: which events each one matches that
 * the other does not. The answer is a proof, not a sample: string leaves are regular languages
 * (refa automata), numbers and addresses are intervals, and with every field's value domain cut
 * into cells (src/semantic/cells.ts) an event is, for every leaf, just a choice of cells per
 * field. "before ⊆ after" holds exactly when no choice makes `before and not after` true, which
 * a bounded search decides (src/semantic/search.ts). Every witness event is checked with the
 * reference evaluator before it is returned. docs/semantics.md ("Comparing two rules") has the
 * user-facing summary.
 */
import { evaluate } from '../eval/evaluate.js';
import type { Json, Scalar } from '../eval/values.js';
import { fold, leavesOf } from '../ir/fold.js';
import type { LeafNode, Node } from '../ir/nodes.js';
import { DEFAULT_CELL_LIMITS, fieldModel, leafKey, type FieldModel } from './cells.js';
import { buildEvent } from './events.js';
import { randomDifferences } from './random-search.js';
import { OutsideDecision } from './languages.js';
import { satisfying, type Assignment, type Formula, type SearchBudget } from './search.js';

/** How the set of events `after` matches relates to the set `before` matches. */
export type Relation = 'equivalent' | 'broader' | 'narrower' | 'both' | 'unknown';
/** Whether one version's events are all matched by the other: proved, refuted by a witness, or undecided. */
export type Inclusion = 'yes' | 'no' | 'unknown';

export interface CompareOptions {
  /** Witness events to return per direction (default 3). */
  readonly maxWitnesses?: number;
  /** Search nodes allowed for the whole comparison (default 200,000). */
  readonly maxSearchSteps?: number;
  /** Cells one field may have (default 512). */
  readonly maxCellsPerField?: number;
  /** Random events tried when the comparison cannot be decided (default 2,000). */
  readonly randomEvents?: number;
}

export interface Comparison {
  readonly relation: Relation;
  /** True when `relation` is proved: by the decision, or by witnesses in both directions. */
  readonly proved: boolean;
  /** Every event `before` matches is matched by `after`. */
  readonly beforeInAfter: Inclusion;
  /** Every event `after` matches is matched by `before`. */
  readonly afterInBefore: Inclusion;
  /** Events only `before` matches (each confirmed by the evaluator). */
  readonly onlyBefore: readonly Json[];
  /** Events only `after` matches (each confirmed by the evaluator). */
  readonly onlyAfter: readonly Json[];
  /** Why the relation is not proved, or how it was settled when that is not the decision. */
  readonly note?: string;
  readonly stats: { readonly fields: number; readonly cells: number; readonly searchSteps: number; readonly millis: number };
}

/** Compares two IR queries (normalised or not: the comparison only uses their meaning). */
export function compareQueries(before: Node, after: Node, options: CompareOptions = {}): Comparison {
  const started = performance.now();
  const maxWitnesses = options.maxWitnesses ?? 3;
  const budget: SearchBudget = { maxSteps: options.maxSearchSteps ?? 200_000, steps: 0 };
  let models: FieldModel[] = [];
  try {
    models = buildModels([before, after], options.maxCellsPerField ?? DEFAULT_CELL_LIMITS.maxCells);
    const space = variableSpace(models);
    const toAfter = direction(before, after, space, budget, maxWitnesses);
    const toBefore = direction(after, before, space, budget, maxWitnesses);
    const cells = space.cellCount;
    return summarise(toAfter, toBefore, { fields: models.length, cells, searchSteps: budget.steps, millis: performance.now() - started });
  } catch (e) {
    if (!(e instanceof OutsideDecision)) throw e;
    // Outside the decision: look for differences among derived and random events, and say so.
    const events = options.randomEvents ?? 2000;
    const found = randomDifferences(before, after, events, maxWitnesses);
    const both = found.onlyBefore.length > 0 && found.onlyAfter.length > 0;
    const stats = { fields: models.length, cells: 0, searchSteps: budget.steps, millis: performance.now() - started };
    const what =
      found.onlyBefore.length + found.onlyAfter.length === 0
        ? `no difference found in ${found.tried} derived and random events`
        : `${found.tried} derived and random events found differences`;
    return {
      relation: both ? 'both' : 'unknown',
      proved: both,
      beforeInAfter: found.onlyBefore.length > 0 ? 'no' : 'unknown',
      afterInBefore: found.onlyAfter.length > 0 ? 'no' : 'unknown',
      onlyBefore: found.onlyBefore,
      onlyAfter: found.onlyAfter,
      note: `not decided (${e.why}: ${e.message}); ${what}`,
      stats,
    };
  }
}

/**
 * For each pair `[x, y]`, one event that `x` matches and `y` does not (confirmed by the evaluator),
 * or undefined when there is none or none was found. One direction only, and one cell model for all
 * pairs: the emitter asks this for a rule's query against its own sub-queries, which share leaves.
 * Outside the decision it falls back to derived and random events, as compareQueries does.
 */
export function firstWitnesses(pairs: readonly (readonly [Node, Node])[], options: CompareOptions = {}): (Json | undefined)[] {
  const budget: SearchBudget = { maxSteps: options.maxSearchSteps ?? 200_000, steps: 0 };
  try {
    const models = buildModels(pairs.flat(), options.maxCellsPerField ?? DEFAULT_CELL_LIMITS.maxCells);
    const space = variableSpace(models);
    return pairs.map(([x, y]) => {
      const found = direction(x, y, space, budget, 1).witnesses[0];
      return found ?? (space.unknown.size > 0 ? randomDifferences(x, y, options.randomEvents ?? 2000, 1).onlyBefore[0] : undefined);
    });
  } catch (e) {
    if (!(e instanceof OutsideDecision)) throw e;
    return pairs.map(([x, y]) => randomDifferences(x, y, options.randomEvents ?? 2000, 1).onlyBefore[0]);
  }
}

function buildModels(queries: readonly Node[], maxCells: number): FieldModel[] {
  const byField = new Map<string, LeafNode[]>();
  for (const q of queries) {
    for (const leaf of leavesOf(q)) {
      const list = byField.get(leaf.field.name) ?? [];
      list.push(leaf);
      byField.set(leaf.field.name, list);
    }
  }
  return [...byField].map(([field, leaves]) => fieldModel(field, leaves, { ...DEFAULT_CELL_LIMITS, maxCells }));
}

/** One boolean variable per cell of every field: "the field has a value in this cell". */
interface VariableSpace {
  readonly cellCount: number;
  readonly fields: ReadonlyMap<string, { readonly model: FieldModel; readonly first: number }>;
  /** Cells of unknown emptiness, whose variables are held false when searching for witnesses. */
  readonly unknown: ReadonlyMap<number, boolean>;
}

function variableSpace(models: readonly FieldModel[]): VariableSpace {
  const fields = new Map<string, { model: FieldModel; first: number }>();
  const unknown = new Map<number, boolean>();
  let next = 0;
  for (const model of models) {
    fields.set(model.field, { model, first: next });
    model.cells.forEach((cell, i) => {
      if (cell.value === undefined) unknown.set(next + i, false);
    });
    next += model.cells.length;
  }
  return { cellCount: next, fields, unknown };
}

function formula(root: Node, space: VariableSpace): Formula {
  return fold<Formula>(root, {
    and: (_, children) => ({ kind: 'and', children }),
    or: (_, children) => ({ kind: 'or', children }),
    not: (_, child) => ({ kind: 'not', child }),
    leaf: (node) => {
        const entry = space.fields.get(node.field.name);
        if (entry === undefined) throw new Error(`no cells for ${node.field.name}`);
        const { model, first } = entry;
        const atom = node.kind === 'exists' ? -1 : model.atomKeys.indexOf(leafKey(node));
        const vars: number[] = [];
        model.cells.forEach((cell, i) => {
          if (atom === -1 || cell.signs[atom] === true) vars.push(first + i);
        });
        // Cells where fewer other leaves hold first: witnesses then trip no unrelated clause.
        const trueSigns = (v: number) => model.cells[v - first]?.signs.filter(Boolean).length ?? 0;
        vars.sort((x, y) => trueSigns(x) - trueSigns(y));
        return { kind: 'leaf', vars };
    },
  });
}

interface Direction {
  readonly inclusion: Inclusion;
  readonly witnesses: readonly Json[];
  readonly note?: string;
}

/** Decides whether every event `x` matches is matched by `y`, with witnesses when not. */
function direction(x: Node, y: Node, space: VariableSpace, budget: SearchBudget, maxWitnesses: number): Direction {
  const goal: Formula = { kind: 'and', children: [formula(x, space), { kind: 'not', child: formula(y, space) }] };
  const witnesses: Json[] = [];
  let unconfirmed = 0;
  // Witnesses come only from cells known to be non-empty.
  for (const a of satisfying(goal, space.cellCount, space.unknown, budget)) {
    const event = eventOf(a, space);
    if (evaluate(x, event) && !evaluate(y, event)) witnesses.push(event);
    else unconfirmed++;
    if (witnesses.length >= maxWitnesses || unconfirmed > 10) break;
  }
  if (witnesses.length > 0) return { inclusion: 'no', witnesses };
  if (unconfirmed > 0) return { inclusion: 'unknown', witnesses, note: 'the cell model found differences the evaluator does not confirm (a bug in src/semantic)' };
  if (space.unknown.size === 0) return { inclusion: 'yes', witnesses };
  // With the cells of unknown emptiness free, no solution still proves inclusion.
  const open = satisfying(goal, space.cellCount, new Map(), budget).next();
  if (open.done === true) return { inclusion: 'yes', witnesses };
  const reasons = [...space.fields.values()].map((f) => f.model.unknownReason).filter((r): r is string => r !== undefined);
  return { inclusion: 'unknown', witnesses, note: `a difference would need a value in a cell not known to be empty or not: ${reasons.join('; ')}` };
}

function eventOf(a: Assignment, space: VariableSpace): Json {
  const values = new Map<string, Scalar[]>();
  for (const [field, { model, first }] of space.fields) {
    const chosen: Scalar[] = [];
    model.cells.forEach((cell, i) => {
      if (a[first + i] === 1 && cell.value !== undefined) chosen.push(cell.value);
    });
    if (chosen.length > 0) values.set(field, chosen);
  }
  return buildEvent(values);
}

function summarise(toAfter: Direction, toBefore: Direction, stats: Comparison['stats']): Comparison {
  const b = toAfter.inclusion;
  const a = toBefore.inclusion;
  const relation: Relation =
    b === 'yes' && a === 'yes' ? 'equivalent'
    : b === 'yes' && a === 'no' ? 'broader'
    : b === 'no' && a === 'yes' ? 'narrower'
    : b === 'no' && a === 'no' ? 'both'
    : 'unknown';
  const notes = [toAfter.note && `before ⊆ after: ${toAfter.note}`, toBefore.note && `after ⊆ before: ${toBefore.note}`].filter(
    (n): n is string => typeof n === 'string',
  );
  return {
    relation,
    proved: relation !== 'unknown',
    beforeInAfter: b,
    afterInBefore: a,
    onlyBefore: toAfter.witnesses,
    onlyAfter: toBefore.witnesses,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    stats,
  };
}
