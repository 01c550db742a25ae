/**
 * Reads a single-event EQL query (`<category> where <condition>`) into IR, with the meaning
 * Elasticsearch gives it (not the Python `eql` package's Endgame semantics).
 *
 * The grammar follows Elasticsearch's EqlBase.g4: precedence `not` > `and` > `or`; a
 * comparison or predicate binds tighter than any boolean operator. Sequences, joins,
 * samples, pipes, arithmetic and functions other than `cidrMatch` are rejected with an
 * EqlSyntaxError that names line and column.
 */
import { assertNever, type FieldType, type Node } from '../../ir/nodes.js';
import { ecsFieldTypes } from '../../schema/ecs-fields.generated.js';
import { EqlSyntaxError, type Position } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import {
  categoryFilter,
  comparison,
  conjunction,
  disjunction,
  negation,
  predicate,
  standalone,
  type ComparisonOp,
  type LowerContext,
  type Operand,
  type PredicateOp,
} from './lower.js';

export { EqlSyntaxError } from './errors.js';

const ECS_TYPES: Readonly<Record<string, FieldType>> = ecsFieldTypes;

/** ECS type when the field is in ECS, else `keyword` (what most custom string fields are). */
export function defaultFieldType(name: string): FieldType {
  return Object.prototype.hasOwnProperty.call(ECS_TYPES, name) ? (ECS_TYPES[name] as FieldType) : 'keyword';
}

export interface EqlOptions {
  /** The field `<category> where` filters on: a rule's `event_category_override`; default `event.category`. */
  readonly categoryField?: string;
}

export function parseEql(text: string, fieldType: (name: string) => FieldType = defaultFieldType, options: EqlOptions = {}): Node {
  return new Parser(tokenize(text), { fieldType, ...(options.categoryField === undefined ? {} : { categoryField: options.categoryField }) }).query();
}

const COMPARISONS: ReadonlySet<string> = new Set<ComparisonOp>(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);
/** Predicates whose right side is one constant or a parenthesised list of constants. */
const CONSTANT_PREDICATES: ReadonlySet<string> = new Set(['like', 'like~', 'regex', 'regex~']);
const UNSUPPORTED_QUERIES: ReadonlySet<string> = new Set(['sequence', 'join', 'sample']);

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly ctx: LowerContext,
  ) {}

  // -- token helpers ----------------------------------------------------------------------------

  private peek(ahead = 0): Token {
    // The token list always ends with `eof`, and the parser never moves past it.
    return (this.tokens[this.index + ahead] ?? this.tokens[this.tokens.length - 1]) as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private is(kind: 'keyword' | 'punct', value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === kind && t.value === value;
  }

  private accept(kind: 'keyword' | 'punct', value: string): boolean {
    if (!this.is(kind, value)) return false;
    this.advance();
    return true;
  }

  private expect(kind: 'keyword' | 'punct', value: string): Token {
    if (!this.is(kind, value)) this.fail(`expected '${value}' but found ${describe(this.peek())}`);
    return this.advance();
  }

  private fail(message: string, at: Position = this.peek().at): never {
    throw new EqlSyntaxError(message, at);
  }

  // -- query --------------------------------------------------------------------------------------

  query(): Node {
    const category = this.category();
    this.expect('keyword', 'where');
    const condition = this.expression();
    if (this.is('punct', '|')) this.fail('pipes are not supported');
    if (this.peek().kind !== 'eof') this.fail(`unexpected ${describe(this.peek())}`);
    return category === undefined ? condition : conjunction([categoryFilter(category, this.ctx), condition]);
  }

  /** `any` (no filter), an identifier, or a string. */
  private category(): string | undefined {
    const t = this.advance();
    if (t.kind === 'keyword' && UNSUPPORTED_QUERIES.has(t.value)) this.fail(`${t.value} queries are not supported`, t.at);
    if (t.kind === 'keyword' && t.value === 'any') return undefined;
    if (t.kind === 'identifier' || t.kind === 'string') return t.value;
    return this.fail(`expected an event category or 'any' but found ${describe(t)}`, t.at);
  }

  // -- boolean structure --------------------------------------------------------------------------

  private expression(): Node {
    const items = [this.conjunctionExpr()];
    while (this.accept('keyword', 'or')) items.push(this.conjunctionExpr());
    return items.length === 1 ? (items[0] as Node) : disjunction(items);
  }

  private conjunctionExpr(): Node {
    const items = [this.unary()];
    while (this.accept('keyword', 'and')) items.push(this.unary());
    return items.length === 1 ? (items[0] as Node) : conjunction(items);
  }

  private unary(): Node {
    if (this.accept('keyword', 'not')) return negation(this.unary());
    return this.condition();
  }

  // -- conditions ---------------------------------------------------------------------------------

  /** A parenthesised expression, or an operand with its comparison or predicate. */
  private condition(): Node {
    if (this.is('punct', '(')) return this.parenthesised();
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARISONS.has(t.value)) {
      this.advance();
      return comparison(t.value as ComparisonOp, left, this.operand(), this.ctx);
    }
    if (t.kind === 'punct' && t.value === '=') this.fail("'=' is not an operator; use == (case-sensitive) or : (case-insensitive)");
    if (t.kind === 'punct' && ARITHMETIC.has(t.value)) {
      this.fail(`arithmetic is not supported${left.kind === 'field' ? ' (quote field names containing - with backticks)' : ''}`);
    }
    const op = this.predicateOperator();
    if (op !== undefined) return predicate(op.op, op.negated, left, this.predicateValues(op.op), this.ctx);
    return standalone(left, this.ctx);
  }

  private parenthesised(): Node {
    this.expect('punct', '(');
    const inner = this.expression();
    this.expect('punct', ')');
    const t = this.peek();
    if ((t.kind === 'punct' && (COMPARISONS.has(t.value) || t.value === ':')) || (t.kind === 'keyword' && /^(in|like|regex)~?$/.test(t.value))) {
      this.fail('comparing a parenthesised expression is not supported');
    }
    return inner;
  }

  /** `:`, `like`, `like~`, `regex`, `regex~`, `in`, `in~`, `not in`, `not in~`. */
  private predicateOperator(): { op: PredicateOp; negated: boolean } | undefined {
    if (this.accept('punct', ':')) return { op: ':', negated: false };
    const negated = this.is('keyword', 'not') && (this.is('keyword', 'in', 1) || this.is('keyword', 'in~', 1));
    if (negated) this.advance();
    const t = this.peek();
    if (t.kind === 'keyword' && (t.value === 'in' || t.value === 'in~' || CONSTANT_PREDICATES.has(t.value))) {
      this.advance();
      return { op: t.value as PredicateOp, negated };
    }
    return undefined;
  }

  /** `in` always takes a parenthesised list; the others take one value or a list. */
  private predicateValues(op: PredicateOp): Operand[] {
    if (op !== 'in' && op !== 'in~' && !this.is('punct', '(')) return [this.operand()];
    this.expect('punct', '(');
    const values = [this.operand()];
    while (this.accept('punct', ',')) values.push(this.operand());
    this.expect('punct', ')');
    return values;
  }

  // -- operands -----------------------------------------------------------------------------------

  private operand(): Operand {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.advance();
        return { kind: 'string', value: t.value, at: t.at };
      case 'integer':
      case 'decimal':
        return this.number(1);
      case 'keyword':
        return this.keywordOperand(t);
      case 'identifier':
      case 'quoted':
        return this.is('punct', '(', 1) && t.kind === 'identifier' ? this.call(false) : this.field();
      case 'tildeFunction':
        return this.call(true);
      case 'punct':
        return this.punctOperand(t);
      case 'eof':
        return this.fail('unexpected end of query');
      default:
        return assertNever(t.kind, 'token kind');
    }
  }

  private keywordOperand(t: Token): Operand {
    if (t.value === 'true' || t.value === 'false') {
      this.advance();
      return { kind: 'boolean', value: t.value === 'true', at: t.at };
    }
    if (t.value === 'null') {
      this.advance();
      return { kind: 'null', at: t.at };
    }
    return this.fail(`unexpected keyword '${t.value}' (quote a field of that name with backticks)`);
  }

  /** `?field` (optional field: same field here), or a signed number. */
  private punctOperand(t: Token): Operand {
    if (t.value === '?') {
      this.advance();
      return this.field();
    }
    if ((t.value === '-' || t.value === '+') && (this.peek(1).kind === 'integer' || this.peek(1).kind === 'decimal')) {
      this.advance();
      return this.number(t.value === '-' ? -1 : 1, t.at);
    }
    return this.fail(`expected a field or a value but found ${describe(t)}`);
  }

  private number(sign: 1 | -1, at?: Position): Operand {
    const t = this.advance();
    const text = sign < 0 ? `-${t.text}` : t.text;
    return { kind: 'number', value: Number(text), text, integer: t.kind === 'integer', at: at ?? t.at };
  }

  /** Dotted segments, each a plain identifier or a backtick-quoted one; `a.b` is field "a.b". */
  private field(): Operand {
    const first = this.peek();
    const segments = [this.segment()];
    while (this.accept('punct', '.')) segments.push(this.segment());
    if (this.is('punct', '[')) this.fail('array indexes are not supported');
    return { kind: 'field', name: segments.join('.'), at: first.at };
  }

  private segment(): string {
    const t = this.peek();
    if (t.kind === 'identifier' || t.kind === 'quoted') return this.advance().value;
    if (t.kind === 'keyword') this.fail(`'${t.value}' is a keyword; write the field name segment as \`${t.value}\``);
    return this.fail(`expected a field name but found ${describe(t)}`);
  }

  private call(caseInsensitive: boolean): Operand {
    const name = this.advance();
    this.expect('punct', '(');
    const args: Operand[] = [];
    if (!this.is('punct', ')')) {
      args.push(this.operand());
      while (this.accept('punct', ',')) args.push(this.operand());
    }
    this.expect('punct', ')');
    return { kind: 'call', name: name.value, caseInsensitive, args, at: name.at };
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of query' : `'${t.text}'`;
}
