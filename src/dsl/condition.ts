/** Conditions are what the DSL's builders return: an IR node, plus combinators over them. */
import * as ir from '../ir/nodes.js';
import { inherit, setOrigin } from '../ir/origins.js';
import { callerLocation, reportProblem } from './problems.js';

export interface Condition {
  readonly node: ir.Node;
  /** Names this clause; the name reaches comments, Sigma selection names and diagnostics. */
  as(label: string): Condition;
}

export function condition(node: ir.Node, at = callerLocation()): Condition {
  setOrigin(node, at);
  return Object.freeze({
    node,
    as: (label: string) => condition(inherit(node, Object.freeze({ ...node, label })), at),
  });
}

function nodesOf(name: string, conditions: readonly Condition[]): ir.Node[] {
  if (conditions.length === 0) reportProblem('SIEMC-R010', `${name}() needs at least one condition`);
  return conditions.map((c) => c.node);
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
  return condition(ir.not(c.node));
}
