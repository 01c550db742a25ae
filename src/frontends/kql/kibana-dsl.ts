/**
 * The Query DSL Kibana's detection engine sends for a KQL query: `toElasticsearchQuery` of
 * `@kbn/es-query` (functions/is.ts, range.ts, and.ts, or.ts, not.ts, nested.ts) with the data
 * view the engine builds for an index-pattern rule, whose field list is empty. So no field has a
 * known type: a value is `match` (unquoted) or `match_phrase` (quoted), a wildcard value is
 * `query_string` with the value's query_string specials escaped (whitespace is not, so the query
 * parser searches each word separately), a lone `*` is `exists`.
 *
 * lower.ts gives the same queries their meaning as IR; this rendering exists so that tests can
 * compare our reading with Kibana's own code and run both on Elasticsearch.
 */
import { assertNever } from '../../ir/nodes.js';
import { isLoneWildcard, wildcardParts, type KqlAst, type KqlLiteral } from './parse.js';

export type Dsl = { readonly [key: string]: unknown };

/** wildcard.ts `escapeQueryString`: the query_string reserved characters, not whitespace. */
export function escapeQueryString(text: string): string {
  return text.replace(/[+\-=&|><!(){}[\]^"~*?:\\/]/g, '\\$&');
}

/** wildcard.ts `toQueryStringQuery`. */
export function toQueryStringQuery(lit: Extract<KqlLiteral, { kind: 'wildcard' }>): string {
  return wildcardParts(lit.value).map(escapeQueryString).join('*');
}

/** A literal as Kibana puts it in the DSL (wildcard.ts / literal.ts `toElasticsearchQuery`). */
function literalValue(lit: KqlLiteral): string | boolean | null {
  return lit.kind === 'wildcard' ? wildcardParts(lit.value).join('*') : lit.value;
}

const should = (queries: readonly unknown[]): Dsl => ({ bool: { should: queries, minimum_should_match: 1 } });

export function kibanaDsl(node: KqlAst): Dsl {
  switch (node.kind) {
    case 'and':
      return { bool: { filter: node.children.map(kibanaDsl) } };
    case 'or':
      return should(node.children.map(kibanaDsl));
    case 'not':
      return { bool: { must_not: kibanaDsl(node.child) } };
    case 'nested':
      return { nested: { path: literalValue(node.path), query: kibanaDsl(node.query), score_mode: 'none' } };
    case 'range':
      return should([{ range: { [String(literalValue(node.field))]: { [node.operator]: literalValue(node.value) } } }]);
    case 'is':
      return isQuery(node);
    default:
      return assertNever(node, 'KQL node');
  }
}

function isQuery(node: Extract<KqlAst, { kind: 'is' }>): Dsl {
  const { field, value } = node;
  const exists = isLoneWildcard(value);
  if (exists && field !== null && isLoneWildcard(field)) return { match_all: {} };
  if (field === null || (field.kind === 'literal' && field.value === null)) {
    if (value.kind === 'wildcard') return { query_string: { query: toQueryStringQuery(value) } };
    return { multi_match: { type: value.quoted ? 'phrase' : 'best_fields', query: value.value, lenient: true } };
  }
  // The field's literal value as it is (`true: x` names the field true), as Kibana passes it.
  const name = literalValue(field);
  if (exists) return should([{ exists: { field: name } }]);
  if (value.kind === 'wildcard') return should([{ query_string: { fields: [name], query: toQueryStringQuery(value) } }]);
  return should([{ [value.quoted ? 'match_phrase' : 'match']: { [String(name)]: value.value } }]);
}
