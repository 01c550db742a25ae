/** Builds witness events from field values, in the nested shape ECS events have. */
import type { Json, Scalar } from '../eval/values.js';

/**
 * One event with the given values per field (one value as a scalar, several as an array).
 * Fields nest as objects; when one field's path collides with another's (`a` and `a.b`) all are kept
 * as dotted keys throughout, which the evaluator reads the same way (docs/semantics.md).
 */
export function buildEvent(fields: ReadonlyMap<string, readonly Scalar[]>): Json {
  const present = [...fields].filter(([, values]) => values.length > 0);
  const asJson = (values: readonly Scalar[]): Json => (values.length === 1 ? (values[0] as Scalar) : [...values]);
  const nested: { [key: string]: Json } = {};
  if (present.every(([name, values]) => setNested(nested, name.split('.'), asJson(values)))) return nested;
  return Object.fromEntries(present.map(([name, values]) => [name, asJson(values)]));
}

function setNested(root: { [key: string]: Json }, path: readonly string[], value: Json): boolean {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (next === undefined) {
      const child: { [key: string]: Json } = {};
      node[key] = child;
      node = child;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as { [key: string]: Json };
    } else {
      return false;
    }
  }
  const last = path[path.length - 1] as string;
  if (Object.prototype.hasOwnProperty.call(node, last)) return false;
  node[last] = value;
  return true;
}
