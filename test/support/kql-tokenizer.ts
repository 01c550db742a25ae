/**
 * An independent reader and evaluator for the KQL siemc writes, for tests.
 *
 * The reader follows Kibana's current grammar (`packages/kbn-es-query/src/kuery/grammar/grammar.peggy`,
 * rule by rule, PEG semantics: ordered choice, greedy repetition) without nested `{}` queries or
 * autocomplete cursors. It is written from the grammar's rules, not from the backend, so that an
 * escaping mistake in the backend shows up as a different value read back.
 *
 * The evaluator gives the KQL the meaning it has when Kibana knows the field types (keyword
 * fields: case-sensitive, `*` only in unquoted values, quoted = exact; `not` = complement;
 * `f: *` = exists). The detection-engine path (query_string splitting wildcard values at
 * whitespace) is not modelled: the backend reports it instead (SIEMC-A103).
 */
import { cidrContains } from '../../src/ir/cidr.js';
import { globMatches } from '../../src/eval/glob.js';
import { asBoolean, asKeyword, asNumber, fieldValues, type Json } from '../../src/eval/values.js';
import type { FieldType } from '../../src/ir/nodes.js';
import { ANY_RUN, exactPattern, literalPart, makePattern, type Pattern } from '../../src/ir/pattern.js';

/** What Kibana's parser produces for a literal. */
export type KqlValue =
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  /** `raw`: the value's source text, which Elasticsearch's own `kql` query reads differently (asElasticsearchKqlQuery). */
  | { readonly kind: 'wildcard'; readonly pattern: Pattern; readonly raw?: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

export type RangeOperator = 'gt' | 'gte' | 'lt' | 'lte';

export type KqlNode =
  | { readonly kind: 'and' | 'or'; readonly children: readonly KqlNode[] }
  | { readonly kind: 'not'; readonly child: KqlNode }
  | { readonly kind: 'is'; readonly field: KqlValue | null; readonly value: KqlValue }
  | { readonly kind: 'range'; readonly field: KqlValue; readonly operator: RangeOperator; readonly value: KqlValue };

export class KqlSyntaxError extends Error {}

/** Kibana's internal marker for an unquoted `*` (wildcard.ts `KQL_WILDCARD_SYMBOL`). */
const MARKER = '@kuery-wildcard@';
const SPECIAL = '\\():<>"*{}';
const isSpace = (ch: string | undefined): boolean => ch !== undefined && ' \t\r\n\u00A0'.includes(ch);

type Partial = (field: KqlValue | null) => KqlNode;

class Parser {
  constructor(private readonly input: string) {}

  parse(): KqlNode {
    let pos = this.spaces(0);
    const query = this.orQuery(pos);
    if (query !== null) pos = query.pos;
    pos = this.spaces(pos);
    if (pos !== this.input.length) throw new KqlSyntaxError(`unexpected input at ${pos}: ${JSON.stringify(this.input.slice(pos, pos + 20))}`);
    // An empty query is Kibana's match-all, `is(*, *)`.
    return query?.node ?? { kind: 'is', field: { kind: 'wildcard', pattern: makePattern([ANY_RUN]) }, value: { kind: 'wildcard', pattern: makePattern([ANY_RUN]) } };
  }

  private spaces(pos: number): number {
    while (isSpace(this.input[pos])) pos++;
    return pos;
  }

  /** `Space+ word Space+` (Or, And) or `word Space+` (Not), case-insensitive; end position or null. */
  private keyword(pos: number, word: string, spaceBefore: boolean): number | null {
    let p = pos;
    if (spaceBefore) {
      if (!isSpace(this.input[p])) return null;
      p = this.spaces(p);
    }
    if (this.input.slice(p, p + word.length).toLowerCase() !== word) return null;
    p += word.length;
    if (!isSpace(this.input[p])) return null;
    return this.spaces(p);
  }

  private or = (pos: number): number | null => this.keyword(pos, 'or', true);
  private and = (pos: number): number | null => this.keyword(pos, 'and', true);
  private not = (pos: number): number | null => this.keyword(pos, 'not', false);

  private isKeyword(pos: number): boolean {
    return this.or(pos) !== null || this.and(pos) !== null || this.not(pos) !== null;
  }

  /** `head (sep item)+ / head`, as the grammar's OrQuery/AndQuery: a failed tail is not consumed. */
  private sequence<T>(
    pos: number,
    item: (pos: number) => { node: T; pos: number } | null,
    separator: (pos: number) => number | null,
  ): { nodes: T[]; pos: number } | null {
    const head = item(pos);
    if (head === null) return null;
    const nodes = [head.node];
    let end = head.pos;
    for (;;) {
      const afterSeparator = separator(end);
      if (afterSeparator === null) break;
      const next = item(afterSeparator);
      if (next === null) break;
      nodes.push(next.node);
      end = next.pos;
    }
    return { nodes, pos: end };
  }

  private orQuery(pos: number): { node: KqlNode; pos: number } | null {
    const r = this.sequence(pos, (p) => this.andQuery(p), this.or);
    if (r === null) return null;
    return { node: r.nodes.length === 1 ? (r.nodes[0] as KqlNode) : { kind: 'or', children: r.nodes }, pos: r.pos };
  }

  private andQuery(pos: number): { node: KqlNode; pos: number } | null {
    const r = this.sequence(pos, (p) => this.notQuery(p), this.and);
    if (r === null) return null;
    return { node: r.nodes.length === 1 ? (r.nodes[0] as KqlNode) : { kind: 'and', children: r.nodes }, pos: r.pos };
  }

  private notQuery(pos: number): { node: KqlNode; pos: number } | null {
    const afterNot = this.not(pos);
    if (afterNot !== null) {
      const sub = this.subQuery(afterNot);
      if (sub !== null) return { node: { kind: 'not', child: sub.node }, pos: sub.pos };
    }
    return this.subQuery(pos);
  }

  private subQuery(pos: number): { node: KqlNode; pos: number } | null {
    if (this.input[pos] === '(') {
      const inner = this.orQuery(this.spaces(pos + 1));
      if (inner !== null) {
        const end = this.spaces(inner.pos);
        if (this.input[end] === ')') return { node: inner.node, pos: end + 1 };
      }
    }
    return this.expression(pos);
  }

  private expression(pos: number): { node: KqlNode; pos: number } | null {
    return this.fieldRange(pos) ?? this.fieldValue(pos) ?? this.valueExpression(pos);
  }

  private fieldRange(pos: number): { node: KqlNode; pos: number } | null {
    const field = this.literal(pos);
    if (field === null) return null;
    let p = this.spaces(field.pos);
    const op = (['<=', '>=', '<', '>'] as const).find((o) => this.input.startsWith(o, p));
    if (op === undefined) return null;
    p = this.spaces(p + op.length);
    const value = this.literal(p);
    if (value === null) return null;
    const operator: RangeOperator = op === '<=' ? 'lte' : op === '>=' ? 'gte' : op === '<' ? 'lt' : 'gt';
    return { node: { kind: 'range', field: field.value, operator, value: value.value }, pos: value.pos };
  }

  private fieldValue(pos: number): { node: KqlNode; pos: number } | null {
    const field = this.literal(pos);
    if (field === null) return null;
    const p = this.spaces(field.pos);
    if (this.input[p] !== ':') return null;
    const list = this.listOfValues(this.spaces(p + 1));
    if (list === null) return null;
    return { node: list.partial(field.value), pos: list.pos };
  }

  private valueExpression(pos: number): { node: KqlNode; pos: number } | null {
    const v = this.value(pos);
    return v === null ? null : { node: v.partial(null), pos: v.pos };
  }

  private listOfValues(pos: number): { partial: Partial; pos: number } | null {
    if (this.input[pos] === '(') {
      const inner = this.orList(this.spaces(pos + 1));
      if (inner !== null) {
        const end = this.spaces(inner.pos);
        if (this.input[end] === ')') return { partial: inner.partial, pos: end + 1 };
      }
    }
    return this.value(pos);
  }

  private orList(pos: number): { partial: Partial; pos: number } | null {
    const r = this.sequence(pos, (p) => {
      const item = this.andList(p);
      return item === null ? null : { node: item.partial, pos: item.pos };
    }, this.or);
    if (r === null) return null;
    const items = r.nodes;
    const partial: Partial = (f) => (items.length === 1 ? (items[0] as Partial)(f) : { kind: 'or', children: items.map((i) => i(f)) });
    return { partial, pos: r.pos };
  }

  private andList(pos: number): { partial: Partial; pos: number } | null {
    const r = this.sequence(pos, (p) => this.notList(p), this.and);
    if (r === null) return null;
    const items = r.nodes;
    const partial: Partial = (f) => (items.length === 1 ? (items[0] as Partial)(f) : { kind: 'and', children: items.map((i) => i(f)) });
    return { partial, pos: r.pos };
  }

  private notList(pos: number): { node: Partial; pos: number } | null {
    const afterNot = this.not(pos);
    if (afterNot !== null) {
      const inner = this.listOfValues(afterNot);
      if (inner !== null) return { node: (f) => ({ kind: 'not', child: inner.partial(f) }), pos: inner.pos };
    }
    const list = this.listOfValues(pos);
    return list === null ? null : { node: list.partial, pos: list.pos };
  }

  private value(pos: number): { partial: Partial; pos: number } | null {
    const lit = this.literal(pos);
    if (lit === null) return null;
    const value = lit.value;
    return { partial: (field) => ({ kind: 'is', field, value }), pos: lit.pos };
  }

  literal(pos: number): { value: KqlValue; pos: number } | null {
    return this.quoted(pos) ?? this.unquoted(pos);
  }

  /**
   * QuotedString: `\t \r \n`, `\uXXXX`, `\\`, `\"`; any other character (a lone backslash included) as is.
   * The string must also end where Elasticsearch's own lexer ends it (see `elasticsearchQuotedEnd`).
   */
  private quoted(pos: number): { value: KqlValue; pos: number } | null {
    if (this.input[pos] !== '"') return null;
    let p = pos + 1;
    let text = '';
    for (;;) {
      const ch = this.input[p];
      if (ch === undefined) return null;
      if (ch === '"') {
        const es = elasticsearchQuotedEnd(this.input, pos);
        if (es !== p + 1) {
          throw new KqlSyntaxError(
            `Elasticsearch's kql lexer reads the string at ${pos} as ${JSON.stringify(this.input.slice(pos, es))}, Kibana's as ${JSON.stringify(this.input.slice(pos, p + 1))}`,
          );
        }
        return { value: { kind: 'quoted', text }, pos: p + 1 };
      }
      const escaped = this.escapedWhitespace(p) ?? this.escapedUnicode(p);
      if (escaped !== null) {
        text += escaped.text;
        p = escaped.pos;
      } else if (ch === '\\' && (this.input[p + 1] === '\\' || this.input[p + 1] === '"')) {
        text += this.input[p + 1] as string;
        p += 2;
      } else {
        text += ch;
        p += 1;
      }
    }
  }

  private escapedWhitespace(p: number): { text: string; pos: number } | null {
    if (this.input[p] !== '\\') return null;
    const next = this.input[p + 1];
    if (next === 't') return { text: '\t', pos: p + 2 };
    if (next === 'r') return { text: '\r', pos: p + 2 };
    if (next === 'n') return { text: '\n', pos: p + 2 };
    return null;
  }

  private escapedUnicode(p: number): { text: string; pos: number } | null {
    if (this.input[p] !== '\\' || this.input[p + 1] !== 'u') return null;
    const digits = this.input.slice(p + 2, p + 6);
    if (!/^[0-9a-f]{4}$/i.test(digits)) return null;
    return { text: String.fromCharCode(parseInt(digits, 16)), pos: p + 6 };
  }

  /**
   * UnquotedLiteral: characters up to a special character or a keyword, then `trim()`; `*` is
   * the marker, and a sequence with a marker is split on it into a wildcard.
   */
  private unquoted(pos: number): { value: KqlValue; pos: number } | null {
    const chars: string[] = [];
    let p = pos;
    let wildcard = false;
    for (;;) {
      const ch = this.input[p];
      if (ch === undefined) break;
      const escaped = this.escapedWhitespace(p);
      if (escaped !== null) {
        chars.push(escaped.text);
        p = escaped.pos;
        continue;
      }
      const next = this.input[p + 1];
      if (ch === '\\' && next !== undefined && SPECIAL.includes(next)) {
        chars.push(next);
        p += 2;
        continue;
      }
      const unicode = this.escapedUnicode(p);
      if (unicode !== null) {
        chars.push(unicode.text);
        p = unicode.pos;
        continue;
      }
      const keyword = ch === '\\' ? ['or', 'and', 'not'].find((w) => this.input.slice(p + 1, p + 1 + w.length).toLowerCase() === w) : undefined;
      if (keyword !== undefined) {
        chars.push(this.input.slice(p + 1, p + 1 + keyword.length));
        p += 1 + keyword.length;
        continue;
      }
      if (ch === '*') {
        chars.push(MARKER);
        wildcard = true;
        p += 1;
        continue;
      }
      if (SPECIAL.includes(ch) || this.isKeyword(p)) break;
      chars.push(ch);
      p += 1;
    }
    if (chars.length === 0) return null;
    const sequence = chars.join('').trim();
    if (sequence === 'null') return { value: { kind: 'null' }, pos: p };
    if (sequence === 'true' || sequence === 'false') return { value: { kind: 'boolean', value: sequence === 'true' }, pos: p };
    if (wildcard && sequence.includes(MARKER)) {
      const parts = sequence.split(MARKER).flatMap((t, i) => (i === 0 ? [literalPart(t)] : [ANY_RUN, literalPart(t)]));
      return { value: { kind: 'wildcard', pattern: makePattern(parts), raw: this.input.slice(pos, p) }, pos: p };
    }
    return { value: { kind: 'text', text: sequence }, pos: p };
  }
}

/**
 * Where Elasticsearch's own KQL lexer (x-pack-kql, ANTLR: `QUOTED_STRING: '"' QUOTED_CHAR* '"'`
 * with `QUOTED_CHAR: ESCAPED_WHITESPACE | ESCAPE_UNICODE_SEQUENCE | '\\"' | ~["]`) ends the quoted
 * string that opens at `start`. `\\` is not one of its escapes, so a backslash may stand alone
 * or begin `\"`, and the lexer takes the longest token: it runs to the first quote that no
 * backslash precedes, or else to the last quote of the input. `"a\\" or "b"` is one string
 * there (`a\\" or `), which Kibana reads as two: the bug behind HTTP 400s for lists whose
 * values end in a backslash. Found on a live node; the live KQL tests check it.
 */
export function elasticsearchQuotedEnd(input: string, start: number): number | undefined {
  let last: number | undefined;
  for (let j = start + 1; j < input.length; j++) {
    if (input[j] !== '"') continue;
    last = j + 1;
    if (j === start + 1 || input[j - 1] !== '\\') return last;
  }
  return last;
}

export function parseKql(text: string): KqlNode {
  return new Parser(text).parse();
}

/** A value as a pattern: quoted and plain text are exact, `true`/`false` their text. */
export function valuePattern(value: KqlValue): Pattern {
  switch (value.kind) {
    case 'quoted':
    case 'text':
      return exactPattern(value.text);
    case 'wildcard':
      return value.pattern;
    case 'boolean':
      return exactPattern(String(value.value));
    case 'null':
      throw new Error('null literal');
  }
}

function fieldName(value: KqlValue | null): string {
  if (value === null || (value.kind !== 'quoted' && value.kind !== 'text')) throw new Error(`unsupported field ${JSON.stringify(value)}`);
  return value.text;
}

/** Reads one `field: value` or `field: (v1 or v2 ...)` clause: the field and each value, in order. */
export function readClause(text: string): { field: string; values: KqlValue[] } {
  const node = parseKql(text);
  const leaves = node.kind === 'or' ? node.children : [node];
  let field: string | undefined;
  const values: KqlValue[] = [];
  for (const leaf of leaves) {
    if (leaf.kind !== 'is') throw new Error(`not a single clause: ${text}`);
    const name = fieldName(leaf.field);
    if (field !== undefined && field !== name) throw new Error(`two fields in one clause: ${text}`);
    field = name;
    values.push(leaf.value);
  }
  return { field: field as string, values };
}

export interface KqlEvalOptions {
  /** The mapping type of a field (keyword when unknown). */
  readonly fieldType?: (name: string) => FieldType | undefined;
}

/** The KQL's meaning on one event, with Kibana knowing the field types (see the file comment). */
export function evaluateKql(node: KqlNode, event: Json, options: KqlEvalOptions = {}): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluateKql(c, event, options));
    case 'or':
      return node.children.some((c) => evaluateKql(c, event, options));
    case 'not':
      return !evaluateKql(node.child, event, options);
    case 'is': {
      if (node.field?.kind === 'wildcard' && node.value.kind === 'wildcard') return true; // `*: *`: match_all
      const name = fieldName(node.field);
      const values = fieldValues(event, name);
      const type = options.fieldType?.(name) ?? 'keyword';
      const v = node.value;
      if (v.kind === 'wildcard') {
        // `f: *` is exists; other wildcards only make sense on string fields.
        return values.some((x) => globMatches(v.pattern, asKeyword(x), false));
      }
      if (v.kind === 'null') throw new Error('null literal');
      const text = v.kind === 'boolean' ? String(v.value) : v.text;
      return values.some((x) => {
        if (type === 'boolean') return asBoolean(x) === asBoolean(text);
        if (type === 'ip') return cidrContains(text, asKeyword(x));
        if (['long', 'integer', 'float', 'double', 'scaled_float'].includes(type)) return asNumber(x) === asNumber(text);
        return asKeyword(x) === text;
      });
    }
    case 'range': {
      const bound = asNumber(fieldName(node.value));
      if (bound === undefined) throw new Error('non-numeric range bound');
      return fieldValues(event, fieldName(node.field)).some((x) => {
        const n = asNumber(x);
        if (n === undefined) return false;
        return node.operator === 'gt' ? n > bound : node.operator === 'gte' ? n >= bound : node.operator === 'lt' ? n < bound : n <= bound;
      });
    }
  }
}

/** Whitespace at which Lucene's query parser splits an unquoted query_string term. */
const QS_WHITESPACE = /[ \t\n\r\u3000]/;

/**
 * The KQL as Kibana's detection engine runs it: field types unknown, so a wildcard value goes
 * through query_string, which splits it at whitespace into pieces OR-ed together (a lone `*`
 * piece means "field exists"). SIEMC-A103 reports this; here it is modelled for the live test.
 */
export function splitWildcardsAtWhitespace(node: KqlNode): KqlNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map(splitWildcardsAtWhitespace) };
    case 'not':
      return { kind: 'not', child: splitWildcardsAtWhitespace(node.child) };
    case 'range':
      return node;
    case 'is': {
      if (node.value.kind !== 'wildcard' || !node.value.pattern.some((p) => p.kind === 'literal' && QS_WHITESPACE.test(p.text))) return node;
      const pieces: Pattern[] = [];
      let current: Pattern[number][] = [];
      for (const part of node.value.pattern) {
        if (part.kind !== 'literal') {
          current.push(part);
          continue;
        }
        const chunks = part.text.split(QS_WHITESPACE);
        chunks.forEach((chunk, i) => {
          if (i > 0) {
            pieces.push(makePattern(current));
            current = [];
          }
          current.push(literalPart(chunk));
        });
      }
      pieces.push(makePattern(current));
      const children = pieces
        .filter((p) => p.length > 0)
        .map((p): KqlNode => ({ kind: 'is', field: node.field, value: p.every((x) => x.kind === 'literal') ? { kind: 'quoted', text: p.map((x) => (x.kind === 'literal' ? x.text : '')).join('') } : { kind: 'wildcard', pattern: p } }));
      return { kind: 'or', children };
    }
  }
}

/**
 * The KQL as Elasticsearch's own `kql` query (x-pack-kql, 9.5) runs it. Found on a live node,
 * and in its source (KqlAstBuilder, ParserUtils):
 *  - an unquoted value is a list of tokens split at whitespace, rejoined with one space;
 *  - it is a wildcard only when some token has a `*` before any backslash (ParserUtils.hasWildcard
 *    matches `[^\\]*[*].*` on the token's source text), so `C\:*` or `a\"b*` are not wildcards
 *    there but exact terms whose text keeps the `*`;
 *  - a wildcard's text goes to Lucene's wildcard syntax without escaping: a `?` is a
 *    one-character wildcard and a backslash escapes the next character (`C\:\\Program*`
 *    finds nothing; `a?b*` finds "a b").
 * Quoted values are not affected.
 */
export function asElasticsearchKqlQuery(node: KqlNode): KqlNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map(asElasticsearchKqlQuery) };
    case 'not':
      return { kind: 'not', child: asElasticsearchKqlQuery(node.child) };
    case 'range':
      return node;
    case 'is': {
      if (node.value.kind !== 'wildcard') return node;
      if (node.value.raw === undefined) return { ...node, value: { kind: 'wildcard', pattern: luceneWildcard(wildcardText(node.value.pattern)) } };
      const tokens = node.value.raw.split(/[ \t\n\r\u3000]+/).filter((t) => t !== '');
      // `*: *` and `f: *` are match-all and exists in both readings.
      if (tokens.length === 1 && tokens[0] === '*') return node;
      const text = tokens.map((t) => wildcardText(tokenPattern(t))).join(' ');
      const wildcard = tokens.some((t) => /^[^\\]*\*/.test(t));
      return { ...node, value: wildcard ? { kind: 'wildcard', pattern: luceneWildcard(text) } : { kind: 'quoted', text } };
    }
  }
}

/** A pattern's text with `*` for each run wildcard (and `?` for one-character ones). */
function wildcardText(pattern: Pattern): string {
  return pattern.map((p) => (p.kind === 'literal' ? p.text : p.kind === 'anyRun' ? '*' : '?')).join('');
}

/** One whitespace-free token of an unquoted value, decoded as the grammar decodes it. */
function tokenPattern(token: string): Pattern {
  const value = new Parser(token).literal(0)?.value;
  if (value === undefined) throw new KqlSyntaxError(`not a value: ${token}`);
  return valuePattern(value);
}

/** Lucene WildcardQuery syntax: `*` any run, `?` one character, `\` escapes the next character. */
function luceneWildcard(text: string): Pattern {
  const parts: Pattern[number][] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\\' && i + 1 < chars.length) parts.push(literalPart(chars[++i] as string));
    else if (ch === '*') parts.push(ANY_RUN);
    else if (ch === '?') parts.push({ kind: 'oneChar' });
    else parts.push(literalPart(ch));
  }
  return makePattern(parts);
}
