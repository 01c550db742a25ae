/**
 * Reads a field's values out of a JSON event the way Elasticsearch indexes it: a dotted
 * name addresses nested objects or dotted keys alike (`{"a":{"b":1}}` and `{"a.b":1}`),
 * arrays at any level contribute each element, and `null` contributes nothing.
 */
import type { Json } from '../model/event.js';

export type { Json } from '../model/event.js';

/** A leaf value as indexed: objects are not leaves. */
export type Scalar = boolean | number | string;

export function fieldValues(event: Json, path: string): Scalar[] {
  const out: Scalar[] = [];
  collect(event, path.split('.'), out);
  return out;
}

function collect(node: Json, segments: readonly string[], out: Scalar[]): void {
  if (node === null) return;
  if (Array.isArray(node)) {
    for (const item of node as readonly Json[]) collect(item, segments, out);
    return;
  }
  if (segments.length === 0) {
    if (typeof node !== 'object') out.push(node as Scalar);
    return;
  }
  if (typeof node !== 'object') return;
  const record = node as { readonly [key: string]: Json };
  // Every split of the remaining path: "a.b.c" may be stored as a / b.c, a.b / c, a.b.c ...
  for (let take = 1; take <= segments.length; take++) {
    const key = segments.slice(0, take).join('.');
    if (Object.prototype.hasOwnProperty.call(record, key)) {
      const child = record[key];
      if (child !== undefined) collect(child, segments.slice(take), out);
    }
  }
}

/** How a keyword field indexes a scalar: numbers and booleans become their JSON text. */
export function asKeyword(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}

/** How a numeric field reads a scalar; non-numeric text is not a number (Elasticsearch would reject the document). */
export function asNumber(value: Scalar): number | undefined {
  if (typeof value === 'number') return value;
  // Decimal notation only: Elasticsearch rejects "0x10", where JavaScript's Number reads 16.
  if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** How a boolean field reads a scalar: `true`/`"true"`, `false`/`"false"`/`""`. */
export function asBoolean(value: Scalar): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false' || value === '') return false;
  return undefined;
}
