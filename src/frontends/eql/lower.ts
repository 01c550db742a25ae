/**
 * EQL operators to IR, with the meaning Elasticsearch's EQL planner gives them (it compiles a
 * single-event query to Query DSL): `==`/`in`/`like`/`regex` are case-sensitive, `:`/`in~`/
 * `like~`/`regex~` are not; `:` and `like` read every `*`/`?` as a wildcard (no escape);
 * `!=`, `not in` and `not` are plain complements (`bool.must_not`), so a missing field matches.
 */
import { and, assertNever, cidr, familyOf, equals, exists, match, not, or, range, regex, type Field, type FieldType, type Node } from '../../ir/nodes.js';
import { ANY_RUN, exactPattern, globPattern, literalPart, makePattern, type Pattern } from '../../ir/pattern.js';
import { EqlSyntaxError, type Position } from './errors.js';
import { luceneRegexToIr, LuceneRegexError } from './lucene-regex.js';

export type Operand =
  | { readonly kind: 'field'; readonly name: string; readonly at: Position }
  | { readonly kind: 'string'; readonly value: string; readonly at: Position }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly integer: boolean; readonly at: Position }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly at: Position }
  | { readonly kind: 'null'; readonly at: Position }
  | { readonly kind: 'call'; readonly name: string; readonly caseInsensitive: boolean; readonly args: readonly Operand[]; readonly at: Position };

export type Literal = Extract<Operand, { kind: 'string' | 'number' | 'boolean' | 'null' }>;
type FieldOperand = Extract<Operand, { kind: 'field' }>;

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type PredicateOp = ':' | 'like' | 'like~' | 'regex' | 'regex~' | 'in' | 'in~';

export interface LowerContext {
  readonly fieldType: (name: string) => FieldType;
  /** The field the event category filters on (default `event.category`). */
  readonly categoryField?: string;
}

// ---------------------------------------------------------------------------------------------
// Constants and boolean structure

/** `true` as IR: the empty conjunction (the IR has no constant node). */
export const TRUE: Node = and([]);
/** `false` as IR: the empty disjunction. */
export const FALSE: Node = or([]);

function isEmptyGroup(node: Node, kind: 'and' | 'or'): boolean {
  return node.kind === kind && node.children.length === 0 && node.label === undefined;
}

/** A conjunction with nested unlabelled conjunctions spliced, so `true` operands vanish. */
export function conjunction(children: readonly Node[]): Node {
  return group('and', children);
}

export function disjunction(children: readonly Node[]): Node {
  return group('or', children);
}

function group(kind: 'and' | 'or', children: readonly Node[]): Node {
  const absorbing = kind === 'and' ? 'or' : 'and';
  if (children.some((c) => isEmptyGroup(c, absorbing))) return kind === 'and' ? FALSE : TRUE;
  const flat = children.flatMap((c) => (c.kind === kind && c.label === undefined ? c.children : [c]));
  if (flat.length === 1) return flat[0] as Node;
  return kind === 'and' ? and(flat) : or(flat);
}

export function negation(child: Node): Node {
  return not(child);
}

// ---------------------------------------------------------------------------------------------
// Fields and literals

type ValueClass = 'string' | 'number' | 'boolean' | 'unsupported';

/** Which literals a field's values compare with, by Elasticsearch type (ip values compare as strings). */
function valueClass(type: FieldType): ValueClass {
  const family = familyOf(type);
  switch (family) {
    case 'string':
    case 'ip':
      return 'string';
    case 'boolean':
    case 'number':
      return family;
    case 'date':
    case 'other':
      return 'unsupported';
    default:
      return assertNever(family, 'field family');
  }
}

function fail(message: string, at: Position): never {
  throw new EqlSyntaxError(message, at);
}

function toField(operand: FieldOperand, ctx: LowerContext): Field {
  return { name: operand.name, type: ctx.fieldType(operand.name) };
}

function classOf(field: Field, at: Position): Exclude<ValueClass, 'unsupported'> {
  const cls = valueClass(field.type);
  if (cls === 'unsupported') fail(`comparing a ${field.type} field (${field.name}) with a value is not supported`, at);
  return cls;
}

/**
 * The text a keyword field is searched for when the literal is a number or boolean: the
 * planner puts the Java value in a `term` query, so `5` is "5" and `1.5` is "1.5". Java's
 * Double.toString switches to exponent notation outside [1e-3, 1e7), which is refused here.
 */
function keywordText(lit: Literal): string {
  switch (lit.kind) {
    case 'string':
      return lit.value;
    case 'boolean':
      return String(lit.value);
    case 'number':
      return numberText(lit);
    case 'null':
      return fail('null is not a value here; use == null or != null', lit.at);
    default:
      return assertNever(lit, 'literal');
  }
}

function numberText(lit: Extract<Literal, { kind: 'number' }>): string {
  if (lit.integer) return BigInt(lit.text).toString();
  const n = Math.abs(lit.value);
  if (n !== 0 && (n < 1e-3 || n >= 1e7)) fail(`cannot tell how Elasticsearch spells ${lit.text} as text; quote the value`, lit.at);
  return Number.isInteger(lit.value) ? `${lit.value}.0` : String(lit.value);
}

function numberValue(lit: Literal, field: Field): number {
  if (lit.kind === 'number') return lit.value;
  // A numeric field parses a string term, so `count == "5"` is `count == 5`.
  if (lit.kind === 'string' && lit.value.trim() !== '' && Number.isFinite(Number(lit.value))) return Number(lit.value);
  return fail(`${field.name} is a ${field.type} field; compare it with a number`, lit.at);
}

function booleanValue(lit: Literal, field: Field): boolean {
  if (lit.kind === 'boolean') return lit.value;
  if (lit.kind === 'string' && (lit.value === 'true' || lit.value === 'false')) return lit.value === 'true';
  return fail(`${field.name} is a boolean field; compare it with true or false`, lit.at);
}

function stringValue(lit: Literal, op: string): string {
  if (lit.kind !== 'string') fail(`${op} takes string values`, lit.at);
  return lit.value;
}

function requireStringField(field: Field, op: string, at: Position): void {
  if (classOf(field, at) !== 'string') fail(`${op} applies to string fields; ${field.name} is a ${field.type} field`, at);
}

function asLiteral(operand: Operand, what: string): Literal {
  if (operand.kind === 'field') return fail(`comparing two fields is not supported in EQL (${what})`, operand.at);
  if (operand.kind === 'call') return fail(`a function call is not supported here (${what})`, operand.at);
  return operand;
}

// ---------------------------------------------------------------------------------------------
// Comparisons: == != < <= > >=

const FLIPPED: Readonly<Record<ComparisonOp, ComparisonOp>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `f op literal` (or `literal op f`, which is flipped). */
export function comparison(op: ComparisonOp, left: Operand, right: Operand, ctx: LowerContext): Node {
  if (left.kind !== 'field' && right.kind === 'field') return comparison(FLIPPED[op], right, left, ctx);
  if (left.kind === 'call') fail(`function ${left.name}() is only supported as a condition of its own`, left.at);
  if (left.kind !== 'field') fail('a comparison needs a field on one side', left.at);
  const field = toField(left, ctx);
  const lit = asLiteral(right, `${left.name} ${op} ...`);
  if (lit.kind === 'null') return nullCheck(op, field, lit.at);
  switch (op) {
    case '==':
      return equality(field, lit);
    case '!=':
      return negation(equality(field, lit));
    case '<':
      return range(field, { lt: numericBound(field, lit) });
    case '<=':
      return range(field, { lte: numericBound(field, lit) });
    case '>':
      return range(field, { gt: numericBound(field, lit) });
    case '>=':
      return range(field, { gte: numericBound(field, lit) });
    default:
      return assertNever(op, 'comparison operator');
  }
}

/** `f == null` is `must_not exists`, `f != null` is `exists`. */
function nullCheck(op: ComparisonOp, field: Field, at: Position): Node {
  if (op === '==') return negation(exists(field));
  if (op === '!=') return exists(field);
  return fail(`${op} null is not a condition; use == null or != null`, at);
}

/** Case-sensitive exact equality (`==`, and each member of `in`). */
function equality(field: Field, lit: Literal): Node {
  const cls = classOf(field, lit.at);
  switch (cls) {
    case 'string':
      return match(field, [exactPattern(keywordText(lit))], false);
    case 'number':
      return equals(field, numberValue(lit, field));
    case 'boolean':
      return equals(field, booleanValue(lit, field));
    default:
      return assertNever(cls, 'value class');
  }
}

/** The IR's range is numeric; on keyword or date fields Elasticsearch compares differently. */
function numericBound(field: Field, lit: Literal): number {
  if (classOf(field, lit.at) !== 'number') fail(`range comparison on ${field.name} (a ${field.type} field) is not supported`, lit.at);
  return numberValue(lit, field);
}

// ---------------------------------------------------------------------------------------------
// Predicates: : like like~ regex regex~ in in~ (and `not in`, `not in~`)

export function predicate(op: PredicateOp, negated: boolean, subject: Operand, values: readonly Operand[], ctx: LowerContext): Node {
  if (subject.kind !== 'field') return fail(`the left side of ${op} must be a field`, subject.at);
  const field = toField(subject, ctx);
  const literals = values.map((v) => asLiteral(v, `${subject.name} ${op} ...`));
  const node = predicateNode(op, field, literals, subject.at);
  return negated ? negation(node) : node;
}

function predicateNode(op: PredicateOp, field: Field, literals: readonly Literal[], at: Position): Node {
  switch (op) {
    case ':':
      requireStringField(field, op, at);
      // `:` is exact (a case-insensitive term) unless the string has a `*` or `?`.
      return match(field, literals.map((l) => colonPattern(stringValue(l, op))), true);
    case 'like':
    case 'like~':
      requireStringField(field, op, at);
      return match(field, literals.map((l) => globPattern(stringValue(l, op))), op === 'like~');
    case 'in':
      return membership(field, literals, at);
    case 'in~':
      requireStringField(field, op, at);
      return match(field, literals.map((l) => exactPattern(keywordText(l))), true);
    case 'regex':
    case 'regex~':
      requireStringField(field, op, at);
      return disjunction(literals.map((l) => regexNode(field, l, op === 'regex~')));
    default:
      return assertNever(op, 'predicate operator');
  }
}

function colonPattern(value: string): Pattern {
  return /[*?]/.test(value) ? globPattern(value) : exactPattern(value);
}

/** `in`: a case-sensitive `terms` query on strings, or equalities on numbers and booleans. */
function membership(field: Field, literals: readonly Literal[], at: Position): Node {
  if (classOf(field, at) === 'string') return match(field, literals.map((l) => exactPattern(keywordText(l))), false);
  return disjunction(literals.map((l) => equality(field, l)));
}

function regexNode(field: Field, lit: Literal, caseInsensitive: boolean): Node {
  const source = stringValue(lit, caseInsensitive ? 'regex~' : 'regex');
  try {
    const ir = luceneRegexToIr(source, caseInsensitive);
    return regex(field, ir.regex, ir.caseInsensitive);
  } catch (e) {
    if (e instanceof LuceneRegexError) return fail(`invalid or unsupported regex ${JSON.stringify(source)}: ${e.message}`, lit.at);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Operands standing alone as conditions

/** `true`, `false`, or a predicate function such as `cidrMatch(f, "10.0.0.0/8")`. */
export function standalone(operand: Operand, ctx: LowerContext): Node {
  switch (operand.kind) {
    case 'boolean':
      return operand.value ? TRUE : FALSE;
    case 'call':
      return call(operand, ctx);
    case 'field':
      return fail(`a field alone is not a condition; compare it (e.g. ${operand.name} == true)`, operand.at);
    case 'string':
    case 'number':
    case 'null':
      return fail('a value alone is not a condition', operand.at);
    default:
      return assertNever(operand, 'operand');
  }
}

/** String functions the planner turns into a prefix or wildcard query: the pattern around the literal. */
const STRING_FUNCTIONS: Readonly<Record<string, (text: string) => Pattern>> = {
  startswith: (t) => makePattern([literalPart(t), ANY_RUN]),
  endswith: (t) => makePattern([ANY_RUN, literalPart(t)]),
  stringcontains: (t) => makePattern([ANY_RUN, literalPart(t), ANY_RUN]),
};

function call(operand: Extract<Operand, { kind: 'call' }>, ctx: LowerContext): Node {
  // Function names resolve case-insensitively in Elasticsearch.
  const name = operand.name.toLowerCase();
  const stringFunction = STRING_FUNCTIONS[name];
  if (stringFunction !== undefined) return stringCall(operand, stringFunction, ctx);
  if (name !== 'cidrmatch' || operand.caseInsensitive) {
    return fail(`function ${operand.name}${operand.caseInsensitive ? '~' : ''}() is not supported`, operand.at);
  }
  const [subject, ...ranges] = operand.args;
  if (subject?.kind !== 'field') return fail('cidrMatch() takes a field first', subject?.at ?? operand.at);
  if (ranges.length === 0) return fail('cidrMatch() needs at least one CIDR block', operand.at);
  return cidr(toField(subject, ctx), ranges.map((r) => stringValue(asLiteral(r, 'cidrMatch'), 'cidrMatch')));
}

/**
 * `startsWith(f, "x")`, `endsWith(f, "x")`, `stringContains(f, "x")`: case-sensitive, `~` not;
 * the planner escapes the text into a prefix or wildcard query, so `*` and `?` in it are literal.
 */
function stringCall(operand: Extract<Operand, { kind: 'call' }>, pattern: (text: string) => Pattern, ctx: LowerContext): Node {
  const [subject, text, extra] = operand.args;
  const name = `${operand.name}${operand.caseInsensitive ? '~' : ''}()`;
  if (subject?.kind !== 'field') return fail(`${name} is supported with a field first`, subject?.at ?? operand.at);
  if (text === undefined || extra !== undefined) return fail(`${name} takes a field and one string`, operand.at);
  const field = toField(subject, ctx);
  requireStringField(field, name, subject.at);
  return match(field, [pattern(stringValue(asLiteral(text, name), name))], operand.caseInsensitive);
}

/** `network where ...` filters on `event.category` (or the rule's override) with a case-sensitive term. */
export function categoryFilter(category: string, ctx: LowerContext): Node {
  const name = ctx.categoryField ?? 'event.category';
  return match({ name, type: ctx.fieldType(name) }, [exactPattern(category)], false);
}
