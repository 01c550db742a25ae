/**
 * KQL to IR, with the meaning Kibana's detection engine gives a query (kibana-dsl.ts shows the
 * Query DSL it sends) on an index whose mapping has the field types the schema layer knows:
 *
 *  - `f: v` (match, match_phrase): on string fields the whole value, exactly and case-sensitively
 *    (keyword analyzer); on numeric, boolean and ip fields the value parsed as that type (an ip
 *    field takes a CIDR block). A value the field type cannot parse fails the search, so such
 *    clauses are refused.
 *  - `f: a*b` (query_string on `f`): the query parser splits the value at whitespace and ORs the
 *    words; each word is a whole-value pattern with `*` as its only wildcard (Kibana escapes `?`).
 *  - `f: *` is `exists`; `*: *` (and an empty query) match everything.
 *  - `f > n` (range) is numeric on numeric fields; on string and date fields it compares text or
 *    dates, which the IR has no node for: refused.
 *  - `not` is plain complement (`bool.must_not`), `and`/`or` as usual.
 *  - a value with no field (multi_match over every field), field name patterns and `f:{...}`
 *    (nested documents) are refused.
 * A refusal throws KqlUnsupported at the clause; losses that keep the clause are warnings.
 */
import { assertNever, cidr, equals, exists, familyOf, match, range, type Field, type Node } from '../../ir/nodes.js';
import { parseCidr } from '../../ir/cidr.js';
import { setOrigin } from '../../ir/origins.js';
import { ANY_RUN, exactPattern, literalPart, makePattern, type Pattern, type PatternPart } from '../../ir/pattern.js';
import type { SourceLocation } from '../../model/location.js';
import { conjunction, disjunction, negation, TRUE } from '../eql/lower.js';
import { isLoneWildcard, wildcardParts, type KqlAst, type KqlLiteral } from './parse.js';
import type { DiagnosticCode } from '../../codes.js';

/** A clause the IR cannot say the way Kibana means it. */
export class KqlUnsupported extends Error {
  constructor(
    message: string,
    /** Offset of the clause in the query text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'KqlUnsupported';
  }
}

export interface KqlWarning {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly offset: number;
}

export interface KqlLowerContext {
  readonly fieldType: (name: string) => Field['type'];
  /** Where an offset of the query text is in its source file, for node origins. */
  readonly locate?: (offset: number) => SourceLocation | undefined;
  /** Receives losses that keep the clause (SIEMC-I2xx warnings). */
  readonly warn?: (w: KqlWarning) => void;
}

export function lowerKql(ast: KqlAst, ctx: KqlLowerContext): Node {
  const node = lowerNode(ast, ctx);
  setOrigin(node, ctx.locate?.(ast.at));
  return node;
}

function lowerNode(ast: KqlAst, ctx: KqlLowerContext): Node {
  switch (ast.kind) {
    case 'and':
      return conjunction(ast.children.map((c) => lowerKql(c, ctx)));
    case 'or':
      return disjunction(ast.children.map((c) => lowerKql(c, ctx)));
    case 'not':
      return negation(lowerKql(ast.child, ctx));
    case 'nested':
      throw new KqlUnsupported(`${fieldText(ast.path)}:{...} searches nested documents, which siemc does not model`, ast.at);
    case 'range':
      return rangeNode(ast, ctx);
    case 'is':
      return isNode(ast, ctx);
    default:
      return assertNever(ast, 'KQL node');
  }
}

function fieldText(lit: KqlLiteral): string {
  return lit.kind === 'wildcard' ? wildcardParts(lit.value).join('*') : String(lit.value);
}

function fieldOf(lit: KqlLiteral | null, at: number, ctx: KqlLowerContext): Field {
  if (lit === null || (lit.kind === 'literal' && lit.value === null)) {
    throw new KqlUnsupported('a value without a field searches every field (multi_match); name the field', at);
  }
  if (lit.kind === 'wildcard') throw new KqlUnsupported(`the field name pattern ${fieldText(lit)} depends on the data view's field list`, lit.at);
  const name = String(lit.value);
  return { name, type: ctx.fieldType(name) };
}

function isNode(ast: Extract<KqlAst, { kind: 'is' }>, ctx: KqlLowerContext): Node {
  if (isLoneWildcard(ast.value) && ast.field !== null && isLoneWildcard(ast.field)) return TRUE;
  const field = fieldOf(ast.field, ast.at, ctx);
  const value = ast.value;
  if (isLoneWildcard(value)) return exists(field);
  if (value.kind === 'wildcard') return wildcardNode(field, value, ctx);
  return valueNode(field, value, ctx);
}

/** Lucene's classic query parser separates terms at these (QueryParser.jj `_WHITESPACE`). */
const QUERY_STRING_SPACE = /[ \t\n\r\u3000]+/;

function wildcardNode(field: Field, value: Extract<KqlLiteral, { kind: 'wildcard' }>, ctx: KqlLowerContext): Node {
  const family = familyOf(field.type);
  if (family !== 'string') {
    throw new KqlUnsupported(`${field.name} is a ${field.type} field: Elasticsearch refuses the wildcard query Kibana sends for ${fieldText(value)}`, value.at);
  }
  textFieldWarning(field, value.at, ctx);
  // Split the text (wildcards kept as markers) into query_string words.
  const words = value.value.split(QUERY_STRING_SPACE).filter((w) => w !== '');
  for (const w of words) {
    if (w === 'AND' || w === 'OR' || w === 'NOT') throw new KqlUnsupported(`the word ${w} in ${fieldText(value)} is an operator to query_string`, value.at);
  }
  if (words.length > 1) {
    ctx.warn?.({
      code: 'SIEMC-I204',
      message: `${field.name}: ${fieldText(value)} has whitespace: Kibana's query_string searches each of its ${words.length} words separately (any one matching), and so does the import`,
      offset: value.at,
    });
  }
  return match(field, words.map(wordPattern), false);
}

function wordPattern(word: string): Pattern {
  const parts: PatternPart[] = [];
  wildcardParts(word).forEach((text, i) => {
    if (i > 0) parts.push(ANY_RUN);
    if (text !== '') parts.push(literalPart(text));
  });
  return makePattern(parts);
}

function textFieldWarning(field: Field, at: number, ctx: KqlLowerContext): void {
  if (field.type !== 'text' && field.type !== 'match_only_text') return;
  ctx.warn?.({
    code: 'SIEMC-I205',
    message: `${field.name} is a ${field.type} field: Elasticsearch matches analysed words, siemc the whole value (as on its keyword sub-field)`,
    offset: at,
  });
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function valueNode(field: Field, lit: Extract<KqlLiteral, { kind: 'literal' }>, ctx: KqlLowerContext): Node {
  if (lit.value === null) throw new KqlUnsupported(`${field.name}: null is not a value Kibana can search for`, lit.at);
  const text = String(lit.value);
  const family = familyOf(field.type);
  switch (family) {
    case 'string':
      textFieldWarning(field, lit.at, ctx);
      return match(field, [exactPattern(text)], false);
    case 'number':
      if (!NUMBER.test(text)) throw new KqlUnsupported(`${field.name} is a ${field.type} field: Elasticsearch cannot parse ${JSON.stringify(text)} as a number`, lit.at);
      return equals(field, Number(text));
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new KqlUnsupported(`${field.name} is a boolean field: Elasticsearch cannot parse ${JSON.stringify(text)} as a boolean`, lit.at);
      return equals(field, text === 'true');
    case 'ip':
      if (parseCidr(text) === undefined) throw new KqlUnsupported(`${field.name} is an ip field: ${JSON.stringify(text)} is not an address or CIDR block`, lit.at);
      return cidr(field, [text]);
    case 'date':
      throw new KqlUnsupported(`${field.name} is a date field: date values are not supported`, lit.at);
    case 'other':
      throw new KqlUnsupported(`${field.name} is a ${field.type} field: it holds no searchable values`, lit.at);
    default:
      return assertNever(family, 'field family');
  }
}

function rangeNode(ast: Extract<KqlAst, { kind: 'range' }>, ctx: KqlLowerContext): Node {
  const field = fieldOf(ast.field, ast.at, ctx);
  const family = familyOf(field.type);
  if (family !== 'number') {
    throw new KqlUnsupported(`range on ${field.name} (a ${field.type} field) compares ${family === 'date' ? 'dates' : 'text'}, which siemc does not model; declare its type in siemc.config.json fields if it is numeric`, ast.at);
  }
  const text = ast.value.kind === 'literal' ? ast.value.value : null;
  if (typeof text !== 'string' || !NUMBER.test(text)) throw new KqlUnsupported(`range on ${field.name} needs a number`, ast.value.at);
  return range(field, { [ast.operator]: Number(text) });
}
