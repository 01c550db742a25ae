/**
 * A rule's Kibana `filters` (each ANDed with the query; `meta.negate` puts it under must_not,
 * `meta.disabled` drops it) as IR. The forms Elastic's rules use are read: `exists` (top level or
 * in `query`), and `wildcard`, `term`, `match_phrase` queries on one field. Anything else refuses
 * the rule (FilterUnsupported).
 */
import { exists, familyOf, match, not, type Field, type Node } from '../../ir/nodes.js';
import { ANY_RUN, exactPattern, literalPart, makePattern, ONE_CHAR, type Pattern, type PatternPart } from '../../ir/pattern.js';
import { isTable, type Table } from './metadata.js';

export class FilterUnsupported extends Error {}

export interface FilterResult {
  readonly nodes: readonly Node[];
  /** Losses worth saying, e.g. a backslash that escapes an ordinary character. */
  readonly notes: readonly string[];
}

export function filtersToIr(filters: unknown, fieldType: (name: string) => Field['type']): FilterResult {
  if (!Array.isArray(filters)) throw new FilterUnsupported('rule.filters is not a list');
  const nodes: Node[] = [];
  const notes: string[] = [];
  filters.forEach((f, i) => {
    if (!isTable(f)) throw new FilterUnsupported(`filter ${i + 1} is not a table`);
    const meta = isTable(f.meta) ? f.meta : {};
    if (meta.disabled === true) return;
    const node = filterNode(f, i, fieldType, notes);
    nodes.push(meta.negate === true ? not(node) : node);
  });
  return { nodes, notes };
}

function single(q: Table, what: string): [string, unknown] {
  const entries = Object.entries(q);
  if (entries.length !== 1) throw new FilterUnsupported(`${what} names ${entries.length} fields`);
  return entries[0] as [string, unknown];
}

function stringField(name: string, fieldType: (name: string) => Field['type'], what: string): Field {
  const field = { name, type: fieldType(name) };
  if (familyOf(field.type) !== 'string') throw new FilterUnsupported(`${what} on ${name}, a ${field.type} field`);
  return field;
}

function filterNode(f: Table, i: number, fieldType: (name: string) => Field['type'], notes: string[]): Node {
  const what = `filter ${i + 1}`;
  const existsSpec = isTable(f.exists) ? f.exists : isTable(f.query) && isTable(f.query.exists) ? f.query.exists : undefined;
  if (existsSpec !== undefined) {
    if (typeof existsSpec.field !== 'string') throw new FilterUnsupported(`${what}: exists without a field`);
    return exists({ name: existsSpec.field, type: fieldType(existsSpec.field) });
  }
  const q = isTable(f.query) ? f.query : undefined;
  if (q === undefined) throw new FilterUnsupported(`${what} has neither exists nor query`);
  const [kind, body] = single(q, `${what}'s query`);
  if (!isTable(body)) throw new FilterUnsupported(`${what}: ${kind} is not a table`);
  const [name, spec] = single(body, `${what}'s ${kind}`);
  const params = isTable(spec) ? spec : { value: spec };
  const value = kind === 'match_phrase' && isTable(spec) ? spec.query : params.value;
  if (typeof value !== 'string') throw new FilterUnsupported(`${what}: ${kind} value is not a string`);
  const caseInsensitive = params.case_insensitive === true;
  const extra = Object.keys(params).filter((k) => !['value', 'query', 'case_insensitive'].includes(k));
  if (extra.length > 0) throw new FilterUnsupported(`${what}: ${kind} option ${extra.join(', ')} is not supported`);
  switch (kind) {
    case 'wildcard':
      return match(stringField(name, fieldType, `${what}: wildcard`), [wildcardPattern(value, (n) => notes.push(`${what} on ${name}: ${n}`))], caseInsensitive);
    case 'term':
    case 'match_phrase':
      return match(stringField(name, fieldType, `${what}: ${kind}`), [exactPattern(value)], caseInsensitive);
    default:
      throw new FilterUnsupported(`${what}: ${kind} queries are not supported`);
  }
}

/** Elasticsearch's wildcard syntax: `*`, `?`, and `\` escaping the next character (any character). */
export function wildcardPattern(value: string, note: (message: string) => void = () => undefined): Pattern {
  const parts: PatternPart[] = [];
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') parts.push(ANY_RUN);
    else if (ch === '?') parts.push(ONE_CHAR);
    else if (ch === '\\' && i + 1 < chars.length) {
      const next = chars[++i] as string;
      if (!'*?\\'.includes(next)) note(`\\${next} in ${JSON.stringify(value)} is the character ${next}, not a backslash and ${next}`);
      parts.push(literalPart(next));
    } else parts.push(literalPart(ch));
  }
  return makePattern(parts);
}
