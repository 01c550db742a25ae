/**
 * JSON with sorted keys, two-space indentation and a final newline: byte-stable snapshots.
 * Invisible characters (src/util/invisible.ts) are written as `\uXXXX`: JSON.stringify escapes
 * only C0 controls and lone surrogates, and leaves bidi controls and zero-width characters raw,
 * where a reviewer could not see them.
 */
import { replaceInvisible } from './invisible.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as { readonly [key: string]: JsonValue };
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, sortKeys(record[k] as JsonValue)]),
    );
  }
  return value;
}

export function stableJson(value: JsonValue): string {
  return `${visibleJson(JSON.stringify(sortKeys(value), null, 2))}\n`;
}

/**
 * JSON text from JSON.stringify with every invisible character escaped. Outside strings that text
 * is ASCII, and its only raw C0 characters are the indentation's newlines (inside strings C0 is
 * escaped already), so every other invisible character sits inside a string, where `\uXXXX` reads
 * back as the same character. All of them are in the BMP.
 */
export function visibleJson(json: string): string {
  return replaceInvisible(json, (cp) => (cp < 0x20 ? String.fromCharCode(cp) : `\\u${cp.toString(16).padStart(4, '0')}`));
}
