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
  collect(event, path.split('.'), 0, out);
  return out;
}

/** The values under `segments` from index `from` on (no copies of the path: every leaf of every test event asks). */
function collect(node: Json, segments: readonly string[], from: number, out: Scalar[]): void {
  if (node === null) return;
  if (Array.isArray(node)) {
    for (const item of node as readonly Json[]) collect(item, segments, from, out);
    return;
  }
  if (from === segments.length) {
    if (typeof node !== 'object') out.push(node as Scalar);
    return;
  }
  if (typeof node !== 'object') return;
  const record = node as { readonly [key: string]: Json };
  // Every split of the remaining path: "a.b.c" may be stored as a / b.c, a.b / c, a.b.c ...
  let key = segments[from] as string;
  for (let end = from + 1; ; end++) {
    if (Object.prototype.hasOwnProperty.call(record, key)) {
      const child = record[key];
      if (child !== undefined) collect(child, segments, end, out);
    }
    if (end === segments.length) return;
    key = `${key}.${segments[end] as string}`;
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
