/**
 * Kibana KQL, as Kibana parses it and as its detection engine runs it. Exact values are quoted
 * (`*` is literal there); wildcard patterns are unquoted and escaped. What KQL cannot say is
 * reported: it has no case-insensitive syntax, no `?` wildcard and no regex, and detection rules
 * (which do not know field types) send unquoted wildcard values to `query_string`, which splits
 * them at whitespace. KQL has no comments, so labels are not written.
 */
import type { Direction } from '../../diagnostics.js';
import { assertNever, isLeaf, type LeafNode, type MatchNode, type Node } from '../../ir/nodes.js';
import {
  ANY_RUN,
  describePattern,
  exactValue,
  isExact,
  literalPart,
  makePattern,
  type Pattern,
  type PatternPart,
  caseMatters,
} from '../../ir/pattern.js';
import { rangeBounds, splitRange, INDENT_STEP, RANGE_SYMBOL } from '../common.js';
import type { Backend, BackendContext } from '../backend.js';
import { approximate, exact } from '../capabilities.js';
import { KIBANA_WILDCARD_MARKER, kqlField, kqlQuoted, kqlUnquotedLiteral } from './escape.js';


/** Stable diagnostic codes of this backend. */
export const KQL_CODES = {
  caseInsensitive: 'SIEMC-A101',
  oneChar: 'SIEMC-A102',
  whitespaceSplit: 'SIEMC-A103',
  trimmed: 'SIEMC-A104',
  marker: 'SIEMC-A105',
  regex: 'SIEMC-A106',
  cidrNotIp: 'SIEMC-A107',
  splitRange: 'SIEMC-A108',
} as const;

export const kql: Backend = {
  name: 'kql',
  fileName: 'kql.kql',
  title: 'Kibana KQL',
  capabilities: {
    'match.exact': exact('quoted value `f: "v"` (`match_phrase`/`term` on a keyword field)'),
    'match.exact.ci': approximate(KQL_CODES.caseInsensitive, 'narrowed', 'no case-insensitive syntax: compared case-sensitively'),
    'match.list': exact('`f: ("a" or "b")`'),
    'match.anyRun': exact('`*` in an unquoted value'),
    'match.oneChar': approximate(KQL_CODES.oneChar, 'widened', 'no single-character wildcard: `?` is written as `*`'),
    'match.glob.ci': approximate(KQL_CODES.caseInsensitive, 'narrowed', 'no case-insensitive syntax: compared case-sensitively'),
    'match.literalGlobChar': exact('`\\*` in an unquoted value; `?` is always literal in KQL'),
    'match.whitespaceGlob': approximate(
      KQL_CODES.whitespaceSplit,
      'not expressible',
      'exact where Kibana knows the field is a keyword (data views); detection rules send the value to `query_string`, ' +
        'which splits it at whitespace into OR-ed terms (widened when one piece is a bare `*`). Whitespace at either end ' +
        'is trimmed by the parser, so it is written as `*` (SIEMC-A104, widened)',
    ),
    'match.specialChars': exact(
      'quoted: `\\\\` (`\\u005C` at the end, which Elasticsearch would read as an escaped quote), `\\"`, `\\t \\n \\r`, `\\uXXXX` for controls, bidi controls, zero-width and other invisible characters; unquoted: a backslash before ' +
        '`\\ ( ) : < > " * { }`, `\\or`/`\\and`/`\\NOT`, `\\u006Eot` for a lower-case keyword `not`. The text ' +
        '`@kuery-wildcard@` in a wildcard value is Kibana\'s internal marker: its `@` become `*` (SIEMC-A105, widened)',
    ),
    exists: exact('`f: *`'),
    not: exact('`not` (`bool.must_not`: events without the field match)'),
    'equals.boolean': exact('`f: true`'),
    'equals.number': exact('`f: 5`'),
    range: approximate(KQL_CODES.splitRange, 'widened', '`f >= 5`; two bounds are two comparisons, which on a multi-valued field may hold for different values'),
    cidr: exact('quoted value on an `ip` field: `match`/`match_phrase` reach the ip field\'s term query, which reads CIDR (SIEMC-A107 on other types: compared as text)'),
    regex: approximate(KQL_CODES.regex, 'widened', 'no regular expressions in KQL: written as `f: *` (the field exists)'),
    'regex.ci': approximate(KQL_CODES.regex, 'widened', 'no regular expressions in KQL: written as `f: *` (the field exists)'),
    'field.names': exact('bare when an ordinary dotted name, else quoted (a quoted name is read literally)'),
    source: exact('the rule\'s index patterns travel with it (Kibana `index`), outside the query'),
  },
  compile(query, context) {
    return `${render(query, '', context)}\n`;
  },
};


/** Renders a node whose continuation lines are indented by `indent`. */
function render(node: Node, indent: string, context: BackendContext): string {
  if (isLeaf(node)) return leaf(node, indent, context);
  switch (node.kind) {
    case 'and':
    case 'or':
      // An empty group has no KQL form of its own: `*: *` is Kibana's match-all.
      if (node.children.length === 0) return node.kind === 'and' ? '*: *' : 'not *: *';
      return node.children.map((c) => operand(c, indent, context)).join(`\n${indent}${node.kind} `);
    case 'not':
      // `not not x` does not parse: a negated negation needs parentheses.
      return node.child.kind === 'not'
        ? `not (${render(node.child, indent, context)})`
        : `not ${operand(node.child, indent, context)}`;
    default:
      return assertNever(node, 'IR group');
  }
}

/** A child of and/or/not: groups are parenthesised even where precedence would do. */
function operand(node: Node, indent: string, context: BackendContext): string {
  if ((node.kind === 'and' || node.kind === 'or') && node.children.length > 1) {
    return `(\n${indent}${INDENT_STEP}${render(node, indent + INDENT_STEP, context)}\n${indent})`;
  }
  return render(node, indent, context);
}

/** `f: v`, or a list `f: (a or b)`: inline when short, one value per line otherwise. */
function valueList(field: string, values: readonly string[], indent: string): string {
  // An empty list matches nothing; `f: ()` would not parse.
  if (values.length === 0) return 'not *: *';
  if (values.length === 1) return `${field}: ${values[0] as string}`;
  const inline = values.join(' or ');
  if (values.length <= 3 && inline.length <= 80) return `${field}: (${inline})`;
  const inner = `${indent}${INDENT_STEP}`;
  return `${field}: (\n${inner}${values.join(`\n${inner}or `)}\n${indent})`;
}

function leaf(node: LeafNode, indent: string, context: BackendContext): string {
  const f = kqlField(node.field.name);
  switch (node.kind) {
    case 'match':
      return valueList(f, matchValues(node, context), indent);
    case 'exists':
      return `${f}: *`;
    case 'equals':
      return `${f}: ${String(node.value)}`;
    case 'range': {
      const split = splitRange(node, KQL_CODES.splitRange);
      if (split !== undefined) context.approximate(split);
      const parts = rangeBounds(node).map(([op, v]) => `${f} ${RANGE_SYMBOL[op]} ${v}`);
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' and ')})`;
    }
    case 'cidr':
      if (node.field.type !== 'ip') {
        context.approximate({
          code: KQL_CODES.cidrNotIp,
          message: `KQL has no CIDR syntax; only an \`ip\` field reads a CIDR value, and ${node.field.name} is ${node.field.type}: the value is compared as text`,
          node,
          direction: 'not expressible',
        });
      }
      return valueList(f, node.cidrs.map(kqlQuoted), indent);
    case 'regex':
      context.approximate({
        code: KQL_CODES.regex,
        message: `KQL has no regular expressions: /${node.regex}/ is written as \`${f}: *\` (the field exists), which every match satisfies`,
        node,
        direction: 'widened',
      });
      return `${f}: *`;
    default:
      return assertNever(node, 'IR leaf');
  }
}

/** Patterns that needed a rewrite, per approximation, for one diagnostic each. */
interface Findings {
  readonly oneChar: Pattern[];
  readonly trimmed: Pattern[];
  readonly marker: Pattern[];
  readonly split: { readonly pattern: Pattern; readonly direction: Direction }[];
}

function matchValues(node: MatchNode, context: BackendContext): string[] {
  if (node.caseInsensitive && node.patterns.some(caseMatters)) {
    context.approximate({
      code: KQL_CODES.caseInsensitive,
      message: 'KQL has no case-insensitive matching: compared case-sensitively, so other spellings of the same letters no longer match',
      node,
      direction: 'narrowed',
    });
  }
  const findings: Findings = { oneChar: [], trimmed: [], marker: [], split: [] };
  // A set keeps long lists linear; insertion order is the output order.
  const values = new Set<string>();
  for (const p of node.patterns) {
    // Two patterns can become the same text once `?` is written as `*`.
    values.add(isExact(p) ? kqlQuoted(exactValue(p)) : unquotedValue(p, findings));
  }
  report(node, context, findings);
  return [...values];
}

function report(node: MatchNode, context: BackendContext, findings: Findings): void {
  if (findings.oneChar.length > 0) {
    context.approximate({
      code: KQL_CODES.oneChar,
      message: `KQL has no single-character wildcard: \`?\` is written as \`*\` in ${listed(findings.oneChar)}`,
      node,
      direction: 'widened',
    });
  }
  if (findings.trimmed.length > 0) {
    context.approximate({
      code: KQL_CODES.trimmed,
      message: `Kibana trims whitespace at the ends of an unquoted value: it is written as \`*\` in ${listed(findings.trimmed)}`,
      node,
      direction: 'widened',
    });
  }
  if (findings.marker.length > 0) {
    context.approximate({
      code: KQL_CODES.marker,
      message: `Kibana marks wildcards with the text ${KIBANA_WILDCARD_MARKER}, which this value would forge: \`@\` is written as \`*\` in ${listed(findings.marker)}`,
      node,
      direction: 'widened',
    });
  }
  if (findings.split.length > 0) {
    const widened = findings.split.every((s) => s.direction === 'widened');
    context.approximate({
      code: KQL_CODES.whitespaceSplit,
      message:
        'in Kibana detection rules (field types unknown) a wildcard value with whitespace goes to query_string, which splits it ' +
        `at the whitespace into OR-ed terms${widened ? ', one of them a bare `*` (the field exists)' : ''}: ${listed(findings.split.map((s) => s.pattern))}`,
      node,
      direction: widened ? 'widened' : 'not expressible',
    });
  }
}

function listed(patterns: readonly Pattern[]): string {
  const shown = patterns.slice(0, 3).map(describePattern).join(', ');
  return patterns.length > 3 ? `${shown} and ${patterns.length - 3} more` : shown;
}


/** A wildcard pattern as an unquoted value, after the rewrites KQL forces (recorded in `findings`). */
function unquotedValue(original: Pattern, findings: Findings): string {
  let pattern = makePattern(original.map((p) => (p.kind === 'oneChar' ? ANY_RUN : p)));
  if (original.some((p) => p.kind === 'oneChar')) findings.oneChar.push(original);

  const untrimmed = trimEnds(pattern);
  if (untrimmed !== pattern) findings.trimmed.push(original);
  pattern = untrimmed;

  if (!markerSafe(pattern)) {
    findings.marker.push(original);
    pattern = makePattern(pattern.flatMap((p): PatternPart[] => (p.kind === 'literal' ? splitOn(p.text, '@') : [p])));
  }

  const split = whitespaceSplit(pattern);
  if (split !== undefined) findings.split.push({ pattern: original, direction: split });

  return pattern
    .map((p, i) => (p.kind === 'literal' ? kqlUnquotedLiteral(p.text, i === 0, i === pattern.length - 1) : '*'))
    .join('');
}

function splitOn(text: string, ch: string): PatternPart[] {
  return text.split(ch).flatMap((piece, i) => (i === 0 ? [literalPart(piece)] : [ANY_RUN, literalPart(piece)]));
}

/**
 * Kibana trims the unquoted value (JavaScript `trim`, whose whitespace is exactly `\s`), so
 * whitespace at either end cannot be written. `*` in its place is the smallest sound widening.
 */
function trimEnds(pattern: Pattern): Pattern {
  const first = pattern[0];
  const last = pattern[pattern.length - 1];
  const leading = first?.kind === 'literal' && /^\s/.test(first.text);
  const trailing = last?.kind === 'literal' && /\s$/.test(last.text);
  if (!leading && !trailing) return pattern;
  return makePattern(
    pattern.flatMap((p, i): PatternPart[] => {
      if (p.kind !== 'literal') return [p];
      let text = p.text;
      const parts: PatternPart[] = [];
      if (i === 0 && leading) {
        text = text.replace(/^\s+/, '');
        parts.push(ANY_RUN);
      }
      const cutTrailing = i === pattern.length - 1 && trailing;
      if (cutTrailing) text = text.replace(/\s+$/, '');
      parts.push(literalPart(text));
      if (cutTrailing) parts.push(ANY_RUN);
      return parts;
    }),
  );
}

/** Whether Kibana's marker-and-split reading of the value gives back exactly these parts. */
function markerSafe(pattern: Pattern): boolean {
  const joined = pattern.map((p) => (p.kind === 'literal' ? p.text : KIBANA_WILDCARD_MARKER)).join('');
  const expected = pattern.reduce<string[]>(
    (acc, p) => {
      if (p.kind === 'literal') acc[acc.length - 1] += p.text;
      else acc.push('');
      return acc;
    },
    [''],
  );
  const read = joined.split(KIBANA_WILDCARD_MARKER);
  return read.length === expected.length && read.every((t, i) => t === expected[i]);
}

/** Whitespace that Lucene's classic query parser (query_string) splits terms on. */
const QUERY_STRING_SPACE = /[ \t\n\r\u3000]/;

/**
 * How query_string changes a wildcard value with whitespace: it becomes OR-ed clauses, one per
 * whitespace-separated piece. A bare `*` piece is `exists`, a superset of the pattern, unless
 * an `AND`/`NOT` piece turns the pieces into operators. undefined when there is no whitespace.
 */
function whitespaceSplit(pattern: Pattern): Direction | undefined {
  if (!pattern.some((p) => p.kind === 'literal' && QUERY_STRING_SPACE.test(p.text))) return undefined;
  // Each piece: its characters, with `null` for a wildcard.
  const pieces: (string | null)[][] = [[]];
  const add = (item: string | null): void => {
    (pieces[pieces.length - 1] as (string | null)[]).push(item);
  };
  for (const p of pattern) {
    if (p.kind !== 'literal') add(null);
    else for (const ch of p.text) {
      if (QUERY_STRING_SPACE.test(ch)) pieces.push([]);
      else add(ch);
    }
  }
  const bareStar = pieces.some((piece) => piece.length === 1 && piece[0] === null);
  const operator = pieces.some((piece) => ['AND', 'OR', 'NOT'].includes(piece.join('')) && !piece.includes(null));
  return bareStar && !operator ? 'widened' : 'not expressible';
}
