/** Kibana's own KQL code (an older copy, @cybernetex/kbn-es-query) and the dialect adapter it needs. */
import { createRequire } from 'node:module';

export interface KbnEsQuery {
  fromKueryExpression(text: string): unknown;
  toElasticsearchQuery(node: unknown): unknown;
}
export const kbn = createRequire(import.meta.url)('@cybernetex/kbn-es-query') as KbnEsQuery;
export const OLD_MARKER = '@kuery-wildcard@';

export function prop(value: unknown, key: string | number): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
}

/**
 * The older grammar lacks two things the current one has: `\uXXXX` escapes, and `{ }` as
 * special characters (so `\{` is an error there, a plain `{` fine). This writes our output in
 * that dialect; undefined when the older grammar cannot say it (a lower-case keyword `not`,
 * which we write `\u006Eot`: that grammar reads `\not` as a newline and `ot`).
 */
export function toOldDialect(text: string): string | undefined {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') quoted = !quoted;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[i + 1] as string;
    const hex = /^u([0-9A-F]{4})/.exec(text.slice(i + 1, i + 6));
    if (hex !== null) {
      const decoded = String.fromCharCode(parseInt(hex[1] as string, 16));
      if (!quoted && decoded === 'n') return undefined;
      // Inside quotes a decoded backslash or quote is still a character, so it keeps its escape there.
      out += quoted && (decoded === '\\' || decoded === '"') ? `\\${decoded}` : decoded;
      i += 5;
    } else if (!quoted && (next === '{' || next === '}')) {
      out += next;
      i += 1;
    } else {
      out += ch + next;
      i += 1;
    }
  }
  return out;
}


type Dsl = { [key: string]: unknown };

/**
 * This older Kibana nests `a or b or c` as binary bools, 80 deep for the domain list, past
 * Elasticsearch's bool nesting limit. Splicing a child bool into a parent of the same single
 * clause type (should with minimum_should_match 1, or filter) does not change the query's meaning.
 */
export function spliceNestedBools(query: unknown): unknown {
  if (Array.isArray(query)) return query.map(spliceNestedBools);
  if (typeof query !== 'object' || query === null) return query;
  const q = query as Dsl;
  if (!('bool' in q)) return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, spliceNestedBools(v)]));
  const bool = q.bool as Dsl;
  const out: Dsl = {};
  for (const [key, value] of Object.entries(bool)) {
    if (key !== 'should' && key !== 'filter') {
      out[key] = spliceNestedBools(value);
      continue;
    }
    const items = (Array.isArray(value) ? value : [value]).map(spliceNestedBools);
    out[key] = items.flatMap((item) => (onlyClause(item, key) ?? [item]));
  }
  return { bool: out };
}

/** The clauses of `item` when it is a bool of only `key` (should: with minimum_should_match 1). */
function onlyClause(item: unknown, key: string): unknown[] | undefined {
  if (typeof item !== 'object' || item === null || !('bool' in item)) return undefined;
  const bool = (item as Dsl).bool as Dsl;
  const keys = Object.keys(bool).filter((k) => k !== 'minimum_should_match');
  if (keys.length !== 1 || keys[0] !== key) return undefined;
  if (key === 'should' && bool.minimum_should_match !== 1) return undefined;
  const inner = bool[key];
  return Array.isArray(inner) ? inner : [inner];
}
