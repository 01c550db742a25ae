/**
 * Elasticsearch Query DSL: a complete `_search` body. Filters only (no scoring), `must_not`
 * for negation (plain complement: documents without the field match), `case_insensitive`
 * on `term`/`wildcard`/`regexp` where the IR says so. `terms` has no such flag, so a
 * case-insensitive list becomes a `bool.should` of `term`s.
 */
import { assertNever, isLeaf, type LeafNode, type Node } from '../../ir/nodes.js';
import { describePattern, exactValue, isExact } from '../../ir/pattern.js';
import { stableJson, type JsonValue } from '../../util/stable-json.js';
import { irRegexToLucene } from '../lucene-regex.js';
import type { Approximation, Backend } from '../backend.js';
import { cidrOnNonIp, rangeBounds } from '../common.js';
import { exact } from '../capabilities.js';

export const esdsl: Backend = {
  name: 'esdsl',
  fileName: 'esdsl.json',
  title: 'Elasticsearch Query DSL',
  capabilities: {
    'match.exact': exact('`term`'),
    'match.exact.ci': exact('`term` with `case_insensitive: true`'),
    'match.list': exact('`terms`; ignoring case, `bool.should` of `term` with `case_insensitive` (`terms` has no such flag)'),
    'match.anyRun': exact('`wildcard` query `*`'),
    'match.oneChar': exact('`wildcard` query `?`'),
    'match.glob.ci': exact('`wildcard` with `case_insensitive: true`'),
    'match.literalGlobChar': exact('`\\*`, `\\?` in the wildcard value'),
    'match.whitespaceGlob': exact('JSON strings'),
    'match.specialChars': exact(
      'JSON strings, `\\uXXXX` for control characters, bidi controls, zero-width and other invisible characters; ' +
        'backslashes doubled once more inside wildcard values',
    ),
    exists: exact('`exists`'),
    not: exact('`bool.must_not`'),
    'equals.boolean': exact('`term`'),
    'equals.number': exact('`term`'),
    range: exact('`range`'),
    cidr: exact('`term`/`terms` on an `ip` field (SIEMC-A011 on other types: compared as text)'),
    regex: exact('`regexp` (Lucene syntax, whole value)'),
    'regex.ci': exact('`regexp` with letters written as `[xX]` (`case_insensitive` does not fold ranges)'),
    'field.names': exact('JSON object keys: any name is written as it is'),
    source: exact('the rule\'s index patterns travel with it (Kibana `index`), outside the query'),
  },
  compile(query, context) {
    return stableJson({ query: toQuery(query, (a) => context.approximate(a)) });
  },
};

type Query = { readonly [key: string]: JsonValue };

/** The query for a node; `report` hears of approximations (none for well-typed rules). */
export function toQuery(node: Node, report: (a: Approximation) => void = () => {}): Query {
  if (isLeaf(node)) return leaf(node, report);
  switch (node.kind) {
    case 'and': {
      // Negated conjuncts go to must_not directly: same meaning, one level less.
      const filter = node.children.filter((c) => c.kind !== 'not' || c.label !== undefined).map((c) => toQuery(c, report));
      const mustNot = node.children.flatMap((c) => (c.kind === 'not' && c.label === undefined ? [toQuery(c.child, report)] : []));
      return { bool: { ...(filter.length > 0 ? { filter } : {}), ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
    }
    case 'or':
      return anyOf(node.children.map((c) => toQuery(c, report)));
    case 'not':
      return { bool: { must_not: [toQuery(node.child, report)] } };
    default:
      return assertNever(node, 'IR group');
  }
}

function anyOf(queries: readonly Query[]): Query {
  return queries.length === 1 ? (queries[0] as Query) : { bool: { should: [...queries], minimum_should_match: 1 } };
}

/** Wildcard query syntax is the IR's glob notation: `*`, `?`, and a backslash escaping the next character. */
export const wildcardValue = describePattern;

function ciFlag(caseInsensitive: boolean): { case_insensitive?: true } {
  return caseInsensitive ? { case_insensitive: true } : {};
}

function leaf(node: LeafNode, report: (a: Approximation) => void): Query {
  const f = node.field.name;
  switch (node.kind) {
    case 'match': {
      // Source order is kept; a case-sensitive exact list becomes one `terms` where its first value was.
      const ci = node.caseInsensitive;
      const exactList = node.patterns.filter(isExact).map(exactValue);
      const useTerms = !ci && exactList.length > 1;
      const queries: Query[] = [];
      for (const p of node.patterns) {
        if (!isExact(p)) queries.push({ wildcard: { [f]: { value: wildcardValue(p), ...ciFlag(ci) } } });
        else if (!useTerms) queries.push({ term: { [f]: { value: exactValue(p), ...ciFlag(ci) } } });
        else if (exactValue(p) === exactList[0]) queries.push({ terms: { [f]: exactList } });
      }
      return anyOf(queries);
    }
    case 'exists':
      return { exists: { field: f } };
    case 'equals':
      return { term: { [f]: { value: node.value } } };
    case 'range':
      // One range query: a single value must lie within every bound, as the IR says.
      return { range: { [f]: Object.fromEntries(rangeBounds(node)) } };
    case 'cidr': {
      // A term query on an `ip` field accepts CIDR notation; on other types it is plain text.
      const text = cidrOnNonIp(node, 'SIEMC-A011');
      if (text !== undefined) report(text);
      return node.cidrs.length === 1 ? { term: { [f]: { value: node.cidrs[0] as string } } } : { terms: { [f]: [...node.cidrs] } };
    }
    case 'regex':
      return { regexp: { [f]: { value: irRegexToLucene(node.regex, node.caseInsensitive) } } };
    default:
      return assertNever(node, 'IR leaf');
  }
}
