/**
 * Elasticsearch EQL. Operators are chosen by the IR's semantics: `:` is case-insensitive and
 * treats every `*`/`?` as a wildcard with no escape, `==`/`in`/`like` are case-sensitive, and
 * values `:` cannot write (a literal `*` or `?`) fall back to `in~` or `regex~`, which are exact.
 */
import { assertNever, isLeaf, type LeafNode, type MatchNode, type Node } from '../../ir/nodes.js';
import { exactValue, hasLiteralGlobChars, isExact, renderPattern, type Pattern } from '../../ir/pattern.js';
import { irRegexToLucene, patternToLuceneRegex } from '../lucene-regex.js';
import type { Backend, BackendContext } from '../backend.js';
import { cidrOnNonIp, loneSurrogate, rangeBounds, splitRange, INDENT_STEP, RANGE_SYMBOL } from '../common.js';
import { showInvisible } from '../../util/invisible.js';
import { approximate, exact } from '../capabilities.js';
import { EQL_KEYWORDS, eqlField, eqlString } from './strings.js';


export const eql: Backend = {
  name: 'eql',
  fileName: 'eql.eql',
  title: 'Elasticsearch EQL',
  capabilities: {
    'match.exact': exact('`==`, `!=`'),
    'match.exact.ci': exact('`:` without wildcards; `in~` when the value holds a literal `*` or `?`'),
    'match.list': exact('`in (...)` / `not in (...)`; `in~ (...)` ignoring case'),
    'match.anyRun': exact('`*` in `:` / `like`'),
    'match.oneChar': exact('`?` in `:` / `like`'),
    'match.glob.ci': exact('`:` (case-insensitive wildcard)'),
    'match.literalGlobChar': exact('`:`/`like` cannot escape `*` or `?`: such patterns become `regex`/`regex~` with escapes'),
    'match.whitespaceGlob': exact('quoted strings'),
    'match.specialChars': exact(
      'double-quoted strings; backslash escapes for backslash, quote, newline, CR, tab; `\\u{XX}` for other control characters, ' +
        'bidi controls, zero-width and other invisible characters (a lone surrogate, which `\\u{...}` refuses, is SIEMC-A053)',
    ),
    exists: exact('`f != null`; `f == null` when negated'),
    not: exact('`not` (Elasticsearch plans it as `must_not`: events without the field match)'),
    'equals.boolean': exact('`f == true`'),
    'equals.number': exact('`f == 5`'),
    range: approximate('SIEMC-A052', 'widened', '`<`, `<=`, `>`, `>=`; two bounds are two comparisons, which on a multi-valued field may hold for different values'),
    cidr: exact('`cidrMatch(f, ...)` on `ip` fields (SIEMC-A051 on other types)'),
    regex: exact('`regex` (Lucene syntax, whole value)'),
    'regex.ci': exact('`regex` with letters written as `[xX]` (Lucene\'s `regex~` does not fold ranges)'),
    'field.names': exact('backticks unless every dotted segment is a plain identifier or reserved word'),
    source: exact('the rule\'s index patterns travel with it (Kibana `index`), outside the query'),
  },
  compile(query, context) {
    const { category, rest } = liftEventCategory(query);
    const body = rest === undefined ? 'true' : render(rest, INDENT_STEP, context);
    return `${category} where ${body}\n`;
  },
};

/**
 * `network where ...` is EQL's filter on `event.category` (a case-sensitive term), so a
 * top-level conjunct `event.category == "x"` becomes the event category; else `any`.
 */
function liftEventCategory(query: Node): { category: string; rest: Node | undefined } {
  const conjuncts = query.kind === 'and' && query.label === undefined ? query.children : [query];
  const index = conjuncts.findIndex(
    (c) =>
      c.kind === 'match' &&
      c.label === undefined &&
      c.field.name === 'event.category' &&
      !c.caseInsensitive &&
      c.patterns.length === 1 &&
      isExact(c.patterns[0] as Pattern) &&
      /^[a-z_][a-z0-9_]*$/.test(exactValue(c.patterns[0] as Pattern)) &&
      // `any` (no filter) and other keywords cannot name a category.
      !EQL_KEYWORDS.has(exactValue(c.patterns[0] as Pattern)),
  );
  if (index < 0) return { category: 'any', rest: query };
  const category = exactValue(((conjuncts[index] as MatchNode).patterns[0]) as Pattern);
  const others = conjuncts.filter((_, i) => i !== index);
  const rest = others.length === 0 ? undefined : others.length === 1 ? others[0] : { ...(query as Node & { kind: 'and' }), children: others };
  return { category, rest };
}

/** A label as a comment: it cannot end the comment, and invisible characters show as `<U+202E>`. */
function comment(node: Node): string {
  return node.label === undefined ? '' : `/* ${showInvisible(node.label).replace(/\*\//g, '* /')} */ `;
}

/** Renders a node whose continuation lines are indented by `indent`. */
function render(node: Node, indent: string, ctx: BackendContext): string {
  return comment(node) + renderBare(node, indent, ctx);
}

function renderBare(node: Node, indent: string, ctx: BackendContext): string {
  if (isLeaf(node)) return leaf(node, indent, ctx).join(' or ');
  switch (node.kind) {
    case 'and':
    case 'or':
      // An empty group is the neutral element (normalisation never makes one; parsed `true` can).
      if (node.children.length === 0) return node.kind === 'and' ? 'true' : 'false';
      return node.children.map((c) => operand(c, indent, node.kind, ctx)).join(`\n${indent}${node.kind} `);
    case 'not':
      return renderNot(node.child, indent, ctx);
    default:
      return assertNever(node, 'IR group');
  }
}

/** A child of and/or/not, parenthesised when it is a group (explicit even where precedence would do). */
function operand(node: Node, indent: string, parent: 'and' | 'or' | 'not', ctx: BackendContext): string {
  if (node.kind === 'and' || node.kind === 'or') return comment(node) + group(renderBare(node, indent + INDENT_STEP, ctx), indent);
  if (isLeaf(node)) {
    const alternatives = leaf(node, indent, ctx);
    if (alternatives.length > 1 && parent !== 'or') return comment(node) + `(${alternatives.join(' or ')})`;
  }
  return render(node, indent, ctx);
}

function group(inner: string, indent: string): string {
  return `(\n${indent}${INDENT_STEP}${inner}\n${indent})`;
}

function renderNot(child: Node, indent: string, ctx: BackendContext): string {
  if (child.label === undefined) {
    if (child.kind === 'exists') return `${eqlField(child.field.name)} == null`;
    if (child.kind === 'match' && !child.caseInsensitive && child.patterns.every(isExact)) {
      const surrogate = loneSurrogate(child, 'SIEMC-A053', 'EQL');
      if (surrogate !== undefined) ctx.approximate(surrogate);
      const values = child.patterns.map(exactValue);
      return values.length === 1
        ? `${eqlField(child.field.name)} != ${eqlString(values[0] as string)}`
        : `${eqlField(child.field.name)} not in ${list(values.map(eqlString), indent)}`;
    }
  }
  return `not ${operand(child, indent, 'not', ctx)}`;
}


/** A list literal: inline when short, one item per line otherwise (readable diffs). */
function list(items: readonly string[], indent: string): string {
  if (items.length <= 3 && items.join(', ').length <= 80) return `(${items.join(', ')})`;
  return `(\n${items.map((i) => `${indent}${INDENT_STEP}${i}`).join(',\n')}\n${indent})`;
}

function single(items: readonly string[], indent: string): string {
  return items.length === 1 ? (items[0] as string) : list(items, indent);
}

/** A leaf as one or more EQL expressions that are OR-ed together. */
function leaf(node: LeafNode, indent: string, ctx: BackendContext): string[] {
  const surrogate = loneSurrogate(node, 'SIEMC-A053', 'EQL');
  if (surrogate !== undefined) ctx.approximate(surrogate);
  const f = eqlField(node.field.name);
  switch (node.kind) {
    case 'match':
      return matchExpressions(node, f, indent);
    case 'exists':
      return [`${f} != null`];
    case 'equals':
      return [`${f} == ${String(node.value)}`];
    case 'range': {
      const split = splitRange(node, 'SIEMC-A052');
      if (split !== undefined) ctx.approximate(split);
      const parts = rangeBounds(node).map(([op, v]) => `${f} ${RANGE_SYMBOL[op]} ${v}`);
      return [parts.length === 1 ? (parts[0] as string) : `(${parts.join(' and ')})`];
    }
    case 'cidr': {
      const text = cidrOnNonIp(node, 'SIEMC-A051');
      if (text !== undefined) ctx.approximate(text);
      return [`cidrMatch(${f}, ${node.cidrs.map((c) => eqlString(withPrefix(c))).join(', ')})`];
    }
    case 'regex':
      return [`${f} regex ${eqlString(irRegexToLucene(node.regex, node.caseInsensitive))}`];
    default:
      return assertNever(node, 'IR leaf');
  }
}

function matchExpressions(node: MatchNode, f: string, indent: string): string[] {
  // Glob operators (`:`, `like`) read every `*`/`?` as a wildcard; patterns with a literal one
  // go to the exact list operator or to a regex, which can escape them.
  const glob: string[] = [];
  const exact: string[] = [];
  const regexes: string[] = [];
  for (const p of node.patterns) {
    if (!hasLiteralGlobChars(p)) glob.push(eqlString(renderPattern(p, { anyRun: '*', oneChar: '?', literal: (t) => t })));
    else if (isExact(p)) exact.push(eqlString(exactValue(p)));
    else regexes.push(eqlString(patternToLuceneRegex(p)));
  }
  const out: string[] = [];
  const ci = node.caseInsensitive;
  if (glob.length > 0) {
    const allExact = node.patterns.every(isExact) && exact.length === 0 && regexes.length === 0;
    if (ci) out.push(`${f} : ${single(glob, indent)}`);
    else if (allExact) out.push(glob.length === 1 ? `${f} == ${glob[0] as string}` : `${f} in ${list(glob, indent)}`);
    else out.push(`${f} like ${single(glob, indent)}`);
  }
  if (exact.length > 0) out.push(`${f} ${ci ? 'in~' : 'in'} ${list(exact, indent)}`);
  for (const r of regexes) out.push(`${f} ${ci ? 'regex~' : 'regex'} ${r}`);
  return out;
}

/**
 * A bare address as a network of one (`::1` -> `::1/128`): the same addresses, and the form
 * Python's eql (detection-rules' validator) requires of cidrMatch's arguments.
 */
function withPrefix(cidr: string): string {
  if (cidr.includes('/')) return cidr;
  return `${cidr}/${cidr.includes(':') ? 128 : 32}`;
}
