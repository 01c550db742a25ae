/**
 * Reads KQL the way Kibana does: rule by rule from Kibana's grammar
 * (`@kbn/es-query`, src/kuery/grammar/grammar.peggy), with PEG semantics (ordered choice, greedy
 * repetition, a failed tail left unconsumed), without the autocomplete cursor. The result is
 * Kibana's node tree (`is`, `range`, `nested`, `and`, `or`, `not`) with source offsets; what the
 * nodes mean is lower.ts's business, and which Query DSL Kibana sends for them is kibana-dsl.ts's.
 *
 * Grammar facts that matter for meaning:
 *  - precedence `not` > `and` > `or`; keywords are case-insensitive and need whitespace around
 *    them (`not` only after it), so `cannot be` stops an unquoted value at `can`;
 *  - an unquoted value runs up to a special character `\():<>"*{}` or a keyword, and is trimmed;
 *    `null`, `true`, `false` are literals of their own; an unescaped `*` makes it a wildcard;
 *  - escapes: `\t \r \n`, `\uXXXX`, `\` before a special character or a keyword (unquoted), and
 *    `\\`, `\"` in quoted strings, where any other backslash is a literal backslash;
 *  - an empty query is `is(*, *)`, match-all.
 */
import { EqlSyntaxError, positionFinder, type Position } from '../eql/errors.js';

/** Kibana's internal marker for an unquoted `*` (node_types/wildcard.ts `KQL_WILDCARD_SYMBOL`). */
export const WILDCARD_MARKER = '@kuery-wildcard@';

export type KqlLiteral =
  | { readonly kind: 'literal'; readonly value: string | boolean | null; readonly quoted: boolean; readonly at: number }
  /** `value` holds the unquoted text with every wildcard as WILDCARD_MARKER, as Kibana keeps it. */
  | { readonly kind: 'wildcard'; readonly value: string; readonly at: number };

export type RangeOperator = 'gt' | 'gte' | 'lt' | 'lte';

export type KqlAst =
  | { readonly kind: 'and' | 'or'; readonly children: readonly KqlAst[]; readonly at: number }
  | { readonly kind: 'not'; readonly child: KqlAst; readonly at: number }
  /** `field: value`; `field` null for a value alone (Kibana's multi_match over every field). */
  | { readonly kind: 'is'; readonly field: KqlLiteral | null; readonly value: KqlLiteral; readonly at: number }
  | { readonly kind: 'range'; readonly field: KqlLiteral; readonly operator: RangeOperator; readonly value: KqlLiteral; readonly at: number }
  | { readonly kind: 'nested'; readonly path: KqlLiteral; readonly query: KqlAst; readonly at: number };

export class KqlSyntaxError extends EqlSyntaxError {
  constructor(message: string, at: Position) {
    super(message, at);
    this.name = 'KqlSyntaxError';
  }
}

const SPECIAL = '\\():<>"*{}';
const SPACE = ' \t\r\n\u00A0';
const isSpace = (ch: string | undefined): boolean => ch !== undefined && SPACE.includes(ch);

type Result<T> = { readonly node: T; readonly pos: number } | null;
type Partial = (field: KqlLiteral | null) => KqlAst;

class Parser {
  /** The furthest offset any rule failed at: where the syntax error is, as peggy reports it. */
  private furthest = 0;
  private expected = new Set<string>();

  constructor(private readonly input: string) {}

  parse(): KqlAst {
    let pos = this.spaces(0);
    const query = this.orQuery(pos);
    if (query !== null) pos = query.pos;
    pos = this.spaces(pos);
    if (pos !== this.input.length) {
      this.failAt(pos, 'end of query');
      const at = positionFinder(this.input)(this.furthest);
      const found = this.furthest >= this.input.length ? 'end of query' : JSON.stringify(this.input.slice(this.furthest, this.furthest + 12));
      throw new KqlSyntaxError(`expected ${[...this.expected].sort().join(', ')} but found ${found}`, at);
    }
    if (query !== null) return query.node;
    const all: KqlLiteral = { kind: 'wildcard', value: WILDCARD_MARKER, at: 0 };
    return { kind: 'is', field: all, value: all, at: 0 };
  }

  private failAt(pos: number, what: string): null {
    if (pos > this.furthest) {
      this.furthest = pos;
      this.expected = new Set();
    }
    if (pos === this.furthest) this.expected.add(what);
    return null;
  }

  private spaces(pos: number): number {
    while (isSpace(this.input[pos])) pos++;
    return pos;
  }

  private char(pos: number, ch: string, what = `'${ch}'`): number | null {
    return this.input[pos] === ch ? pos + 1 : this.failAt(pos, what);
  }

  /** Or = Space+ 'or'i Space+; And likewise; Not = 'not'i Space+. */
  private keyword(pos: number, word: string, spaceBefore: boolean): number | null {
    let p = pos;
    if (spaceBefore) {
      if (!isSpace(this.input[p])) return this.failAt(p, 'whitespace');
      p = this.spaces(p);
    }
    if (this.input.slice(p, p + word.length).toLowerCase() !== word) return this.failAt(p, word.toUpperCase());
    p += word.length;
    if (!isSpace(this.input[p])) return this.failAt(p, 'whitespace');
    return this.spaces(p);
  }

  private readonly orKeyword = (pos: number): number | null => this.keyword(pos, 'or', true);
  private readonly andKeyword = (pos: number): number | null => this.keyword(pos, 'and', true);

  /** The grammar's `Keyword` lookahead inside an unquoted value: Space or Space / Space and Space / not Space. */
  private keywordAhead(pos: number): boolean {
    const at = (p: number, word: string) => this.input.slice(p, p + word.length).toLowerCase() === word;
    if (isSpace(this.input[pos])) {
      if (at(pos + 1, 'or') && isSpace(this.input[pos + 3])) return true;
      if (at(pos + 1, 'and') && isSpace(this.input[pos + 4])) return true;
    }
    return at(pos, 'not') && isSpace(this.input[pos + 3]);
  }

  /** `head (separator item)+ / head`: a separator whose item fails is not consumed. */
  private sequence<T>(pos: number, item: (p: number) => Result<T>, separator: (p: number) => number | null): Result<T[]> {
    const head = item(pos);
    if (head === null) return null;
    const nodes = [head.node];
    let end = head.pos;
    for (;;) {
      const after = separator(end);
      if (after === null) break;
      const next = item(after);
      if (next === null) break;
      nodes.push(next.node);
      end = next.pos;
    }
    return { node: nodes, pos: end };
  }

  private orQuery(pos: number): Result<KqlAst> {
    const r = this.sequence(pos, (p) => this.andQuery(p), this.orKeyword);
    if (r === null) return null;
    return { node: r.node.length === 1 ? (r.node[0] as KqlAst) : { kind: 'or', children: r.node, at: pos }, pos: r.pos };
  }

  private andQuery(pos: number): Result<KqlAst> {
    const r = this.sequence(pos, (p) => this.notQuery(p), this.andKeyword);
    if (r === null) return null;
    return { node: r.node.length === 1 ? (r.node[0] as KqlAst) : { kind: 'and', children: r.node, at: pos }, pos: r.pos };
  }

  private notQuery(pos: number): Result<KqlAst> {
    const afterNot = this.keyword(pos, 'not', false);
    if (afterNot !== null) {
      const sub = this.subQuery(afterNot);
      if (sub !== null) return { node: { kind: 'not', child: sub.node, at: pos }, pos: sub.pos };
    }
    return this.subQuery(pos);
  }

  private subQuery(pos: number): Result<KqlAst> {
    const open = this.char(pos, '(');
    if (open !== null) {
      const inner = this.orQuery(this.spaces(open));
      if (inner !== null) {
        const close = this.char(this.spaces(inner.pos), ')');
        if (close !== null) return { node: inner.node, pos: close };
      }
    }
    return this.nestedQuery(pos);
  }

  private nestedQuery(pos: number): Result<KqlAst> {
    const field = this.literal(pos);
    if (field !== null) {
      const colon = this.char(this.spaces(field.pos), ':');
      const brace = colon === null ? null : this.char(this.spaces(colon), '{');
      if (brace !== null) {
        const inner = this.orQuery(this.spaces(brace));
        if (inner !== null) {
          const close = this.char(this.spaces(inner.pos), '}');
          if (close !== null) return { node: { kind: 'nested', path: field.node, query: inner.node, at: pos }, pos: close };
        }
      }
    }
    return this.fieldRange(pos) ?? this.fieldValue(pos) ?? this.valueExpression(pos);
  }

  private fieldRange(pos: number): Result<KqlAst> {
    const field = this.literal(pos);
    if (field === null) return null;
    const p = this.spaces(field.pos);
    const op = (['<=', '>=', '<', '>'] as const).find((o) => this.input.startsWith(o, p));
    if (op === undefined) return this.failAt(p, 'a range operator');
    const value = this.literal(this.spaces(p + op.length));
    if (value === null) return null;
    const operator: RangeOperator = op === '<=' ? 'lte' : op === '>=' ? 'gte' : op === '<' ? 'lt' : 'gt';
    return { node: { kind: 'range', field: field.node, operator, value: value.node, at: pos }, pos: value.pos };
  }

  private fieldValue(pos: number): Result<KqlAst> {
    const field = this.literal(pos);
    if (field === null) return null;
    const colon = this.char(this.spaces(field.pos), ':');
    if (colon === null) return null;
    const list = this.listOfValues(this.spaces(colon));
    if (list === null) return null;
    return { node: list.node(field.node), pos: list.pos };
  }

  private valueExpression(pos: number): Result<KqlAst> {
    const v = this.value(pos);
    return v === null ? null : { node: v.node(null), pos: v.pos };
  }

  private listOfValues(pos: number): Result<Partial> {
    const open = this.char(pos, '(');
    if (open !== null) {
      const inner = this.orList(this.spaces(open));
      if (inner !== null) {
        const close = this.char(this.spaces(inner.pos), ')');
        if (close !== null) return { node: inner.node, pos: close };
      }
    }
    return this.value(pos);
  }

  private orList(pos: number): Result<Partial> {
    const r = this.sequence(pos, (p) => this.andList(p), this.orKeyword);
    if (r === null) return null;
    const items = r.node;
    const partial: Partial = (f) => (items.length === 1 ? (items[0] as Partial)(f) : { kind: 'or', children: items.map((i) => i(f)), at: pos });
    return { node: partial, pos: r.pos };
  }

  private andList(pos: number): Result<Partial> {
    const r = this.sequence(pos, (p) => this.notList(p), this.andKeyword);
    if (r === null) return null;
    const items = r.node;
    const partial: Partial = (f) => (items.length === 1 ? (items[0] as Partial)(f) : { kind: 'and', children: items.map((i) => i(f)), at: pos });
    return { node: partial, pos: r.pos };
  }

  private notList(pos: number): Result<Partial> {
    const afterNot = this.keyword(pos, 'not', false);
    if (afterNot !== null) {
      const inner = this.listOfValues(afterNot);
      if (inner !== null) {
        const child = inner.node;
        return { node: (f) => ({ kind: 'not', child: child(f), at: pos }), pos: inner.pos };
      }
    }
    return this.listOfValues(pos);
  }

  private value(pos: number): Result<Partial> {
    const lit = this.literal(pos);
    if (lit === null) return null;
    const value = lit.node;
    return { node: (field) => ({ kind: 'is', field, value, at: field?.at ?? value.at }), pos: lit.pos };
  }

  private literal(pos: number): Result<KqlLiteral> {
    return this.quoted(pos) ?? this.unquoted(pos);
  }

  /** EscapedWhitespace: `\t`, `\r`, `\n`. */
  private escapedWhitespace(p: number): Result<string> {
    if (this.input[p] !== '\\') return null;
    const next = this.input[p + 1];
    const ch = next === 't' ? '\t' : next === 'r' ? '\r' : next === 'n' ? '\n' : undefined;
    return ch === undefined ? null : { node: ch, pos: p + 2 };
  }

  /** EscapedUnicodeSequence: `\uXXXX` (one UTF-16 code unit). */
  private escapedUnicode(p: number): Result<string> {
    if (this.input[p] !== '\\' || this.input[p + 1] !== 'u') return null;
    const digits = this.input.slice(p + 2, p + 6);
    if (!/^[0-9a-f]{4}$/i.test(digits)) return null;
    return { node: String.fromCharCode(parseInt(digits, 16)), pos: p + 6 };
  }

  private quoted(pos: number): Result<KqlLiteral> {
    if (this.char(pos, '"', 'a quoted string') === null) return null;
    let p = pos + 1;
    let text = '';
    for (;;) {
      const ch = this.input[p];
      if (ch === undefined) return this.failAt(p, "'\"'");
      if (ch === '"') return { node: { kind: 'literal', value: text, quoted: true, at: pos }, pos: p + 1 };
      const escaped = this.escapedWhitespace(p) ?? this.escapedUnicode(p);
      if (escaped !== null) {
        text += escaped.node;
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

  private unquoted(pos: number): Result<KqlLiteral> {
    const chars: string[] = [];
    let wildcard = false;
    let p = pos;
    for (;;) {
      const ch = this.input[p];
      if (ch === undefined) break;
      const escaped = this.escapedWhitespace(p);
      if (escaped !== null) {
        chars.push(escaped.node);
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
        chars.push(unicode.node);
        p = unicode.pos;
        continue;
      }
      if (ch === '\\') {
        const word = ['or', 'and', 'not'].find((w) => this.input.slice(p + 1, p + 1 + w.length).toLowerCase() === w);
        if (word !== undefined) {
          chars.push(this.input.slice(p + 1, p + 1 + word.length));
          p += 1 + word.length;
          continue;
        }
      }
      if (ch === '*') {
        chars.push(WILDCARD_MARKER);
        wildcard = true;
        p += 1;
        continue;
      }
      if (SPECIAL.includes(ch) || this.keywordAhead(p)) break;
      chars.push(ch);
      p += 1;
    }
    if (chars.length === 0) return this.failAt(p, 'a value');
    this.failAt(p, 'more of the value');
    const sequence = chars.join('').trim();
    const lit = (value: string | boolean | null): KqlLiteral => ({ kind: 'literal', value, quoted: false, at: pos });
    if (sequence === 'null') return { node: lit(null), pos: p };
    if (sequence === 'true' || sequence === 'false') return { node: lit(sequence === 'true'), pos: p };
    if (wildcard) return { node: { kind: 'wildcard', value: sequence, at: pos }, pos: p };
    return { node: lit(sequence), pos: p };
  }
}

/** Parses a KQL query; a KqlSyntaxError names line and column (1-based) of the first place it cannot read. */
export function parseKql(text: string): KqlAst {
  return new Parser(text).parse();
}

/** The parts of a wildcard value between its wildcards (n wildcards, n + 1 parts). */
export function wildcardParts(value: string): string[] {
  return value.split(WILDCARD_MARKER);
}

/** Whether a wildcard value is a lone `*` (Kibana's exists query, or match-all as `*: *`). */
export function isLoneWildcard(lit: KqlLiteral): boolean {
  return lit.kind === 'wildcard' && lit.value.includes(WILDCARD_MARKER) && lit.value.replace(WILDCARD_MARKER, '').length === 0;
}
