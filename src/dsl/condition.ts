/** Conditions are what the DSL's builders return: an IR node, plus combinators over them. */
import * as ir from '../ir/nodes.js';
import { inherit, setOrigin } from '../ir/origins.js';
import { callerLocation, reportProblem } from './problems.js';
import { checkText } from './text-checks.js';

/** A label reaches comments and names in every target: text, without what no target can carry. */
function checkLabel(label: unknown): void {
  if (typeof label !== 'string') reportProblem('SIEMC-R017', `a label must be a string, not ${JSON.stringify(label)}`);
  else checkText('the label', label);
}

export interface Condition {
  readonly node: ir.Node;
  /** Names this clause; the name reaches comments, Sigma selection names and diagnostics. */
  as(label: string): Condition;
}

export function condition(node: ir.Node, at = callerLocation()): Condition {
  setOrigin(node, at);
  return Object.freeze({
    node,
    as: (label: string) => {
      checkLabel(label);
      return condition(inherit(node, Object.freeze({ ...node, label })), at);
    },
  });
}

/** Whether a value is a condition built by the DSL (plain-JavaScript rules can pass anything). */
export function isCondition(value: unknown): value is Condition {
  return typeof value === 'object' && value !== null && typeof (value as { node?: { kind?: unknown } }).node?.kind === 'string';
}

function nodesOf(name: string, conditions: readonly Condition[]): ir.Node[] {
  if (conditions.length === 0) reportProblem('SIEMC-R010', `${name}() needs at least one condition`);
  return conditions.flatMap((c) => {
    if (isCondition(c)) return [c.node];
    reportProblem('SIEMC-R019', `${name}() takes conditions (field(...).equals(...), all(...), ...), not ${typeof c === 'object' ? JSON.stringify(c) : String(c)}`);
    return [];
  });
}

/** True when every condition is true. */
export function all(...conditions: Condition[]): Condition {
  return condition(ir.and(nodesOf('all', conditions)));
}

/** True when at least one condition is true. */
export function any(...conditions: Condition[]): Condition {
  return condition(ir.or(nodesOf('any', conditions)));
}

/** Plain complement: true exactly when the condition is false, including for events without the field. */
export function not(c: Condition): Condition {
  const [node] = nodesOf('not', [c]);
  return condition(ir.not(node ?? ir.and([])));
}
