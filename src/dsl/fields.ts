/**
 * Typed field references. The methods a field offers depend on its ECS type, so comparing a
 * number with a keyword, a wildcard on a boolean or a CIDR on a non-ip field does not compile.
 */
import * as ir from '../ir/nodes.js';
import { exactPattern, globPattern, type Pattern } from '../ir/pattern.js';
import { parseCidr } from '../ir/cidr.js';
import { portableRegexProblem } from '../ir/regex.js';
import { condition, type Condition } from './condition.js';
import { ecsFieldTypes } from '../schema/ecs-fields.generated.js';
import { reportProblem } from './problems.js';
import { checkFieldName, checkText } from './text-checks.js';

export type EcsFieldTypes = typeof ecsFieldTypes;
export type EcsFieldName = keyof EcsFieldTypes;

type StringType = ir.FieldTypeOf<'string'>;
type NumberType = ir.FieldTypeOf<'number'>;

/** A pattern built with `pattern(...)`, for values with a literal `*` or `?`. */
export interface BuiltPattern {
  readonly parts: Pattern;
}
/** A glob is text where `*` and `?` are wildcards and `\` is literal (as in EQL), or a built pattern. */
export type Glob = string | BuiltPattern;

function toPattern(glob: Glob): Pattern {
  return typeof glob === 'string' ? globPattern(glob) : glob.parts;
}

function isBuiltPattern(value: unknown): value is BuiltPattern {
  return typeof value === 'object' && value !== null && Array.isArray((value as { parts?: unknown }).parts);
}

// The type checker guarantees the shapes below for TypeScript rules; rules in plain JavaScript or
// under `// @ts-nocheck` get the same guarantee here, reported at their line (SIEMC-R019).

/** A list argument: an array, else reported and read as a one-item list. */
function listArgument(field: ir.Field, what: string, values: unknown): readonly unknown[] {
  if (Array.isArray(values)) return values;
  reportProblem('SIEMC-R019', `the ${what} list for ${field.name} must be an array, not ${describe(values)}`);
  return [values];
}

/** Exact values: strings, else reported and read as their text. */
function textValues(field: ir.Field, values: unknown): readonly string[] {
  return listArgument(field, 'value', values).map((v) => {
    if (typeof v === 'string') return v;
    reportProblem('SIEMC-R019', `a value for ${field.name} must be a string, not ${describe(v)}`);
    return String(v);
  });
}

/** Globs: strings or built patterns, else reported and read as text. */
function globValues(field: ir.Field, globs: unknown): readonly Glob[] {
  return (Array.isArray(globs) ? (globs as readonly unknown[]) : [globs]).map((g) => {
    if (typeof g === 'string' || isBuiltPattern(g)) return g;
    reportProblem('SIEMC-R019', `a pattern for ${field.name} must be a string or pattern(...), not ${describe(g)}`);
    return String(g);
  });
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}

function nonEmpty<T>(field: ir.Field, what: string, values: readonly T[]): readonly T[] {
  if (values.length === 0) reportProblem('SIEMC-R011', `empty ${what} list for field ${field.name}`);
  return values;
}

class BaseField {
  constructor(readonly field: ir.Field) {}
  /** The field has at least one value (an empty string counts, `null` and `[]` do not). */
  exists(): Condition {
    return condition(ir.exists(this.field));
  }
}

export class StringField extends BaseField {
  /** Exact, case-sensitive equality (EQL `==`). */
  equals(value: string): Condition {
    return this.in([value]);
  }
  /** Exact equality ignoring case (EQL `:` without wildcards). */
  equalsIgnoreCase(value: string): Condition {
    return this.inIgnoreCase([value]);
  }
  /** Exact, case-sensitive membership (EQL `in`). */
  in(values: readonly string[]): Condition {
    return this.matchAll(nonEmpty(this.field, 'value', textValues(this.field, values)).map(exactPattern), false);
  }
  /** Exact membership ignoring case (EQL `in~`). */
  inIgnoreCase(values: readonly string[]): Condition {
    return this.matchAll(nonEmpty(this.field, 'value', textValues(this.field, values)).map(exactPattern), true);
  }
  /** Case-sensitive wildcard match of the whole value, `*` any run, `?` one character (EQL `like`). */
  like(globs: Glob | readonly Glob[]): Condition {
    return this.matchAll(nonEmpty(this.field, 'pattern', globValues(this.field, globs)).map(toPattern), false);
  }
  /** Wildcard match ignoring case (EQL `:` / `like~`). */
  likeIgnoreCase(globs: Glob | readonly Glob[]): Condition {
    return this.matchAll(nonEmpty(this.field, 'pattern', globValues(this.field, globs)).map(toPattern), true);
  }
  /** Whole-value regular expression in the portable subset (docs/semantics.md). */
  matches(regex: string): Condition {
    return this.regex(regex, false);
  }
  matchesIgnoreCase(regex: string): Condition {
    return this.regex(regex, true);
  }
  private regex(source: string, caseInsensitive: boolean): Condition {
    if (typeof source !== 'string') {
      reportProblem('SIEMC-R019', `a regular expression for ${this.field.name} must be a string, not ${describe(source)}`);
      source = String(source);
    }
    checkText(`regular expression for ${this.field.name}`, source);
    const problem = portableRegexProblem(source);
    if (problem !== undefined) reportProblem('SIEMC-R012', `regular expression for ${this.field.name}: ${problem}`);
    return condition(ir.regex(this.field, source, caseInsensitive));
  }
  /**
   * The values read as IP addresses, for a CIDR test on a field not typed `ip` (a Sigma `|cidr`
   * on a field without an ECS mapping). Targets that need an `ip` field compare the network as
   * text there, and say so (a named approximation).
   */
  asAddress(): IpField {
    return new IpField(this.field);
  }
  private matchAll(patterns: readonly Pattern[], caseInsensitive: boolean): Condition {
    for (const p of patterns) for (const part of p) if (part.kind === 'literal') checkText(`a value for ${this.field.name}`, part.text);
    return condition(ir.match(this.field, patterns, caseInsensitive));
  }
}

export class NumberField extends BaseField {
  equals(value: number): Condition {
    return condition(ir.equals(this.field, this.finite(value)));
  }
  gt(value: number): Condition {
    return condition(ir.range(this.field, { gt: this.finite(value) }));
  }
  gte(value: number): Condition {
    return condition(ir.range(this.field, { gte: this.finite(value) }));
  }
  lt(value: number): Condition {
    return condition(ir.range(this.field, { lt: this.finite(value) }));
  }
  lte(value: number): Condition {
    return condition(ir.range(this.field, { lte: this.finite(value) }));
  }
  /** Inclusive range. */
  between(low: number, high: number): Condition {
    if (low > high) reportProblem('SIEMC-R013', `empty range [${low}, ${high}] for ${this.field.name}`);
    return condition(ir.range(this.field, { gte: this.finite(low), lte: this.finite(high) }));
  }
  /** NaN and the infinities have no text in any target (JSON writes null, which Elasticsearch reads as no bound). */
  private finite(value: number): number {
    if (typeof value !== 'number') {
      reportProblem('SIEMC-R019', `${this.field.name} compares with a number, not ${describe(value)}`);
      return Number.NaN;
    }
    if (!Number.isFinite(value)) reportProblem('SIEMC-R016', `${value} is not a finite number (field ${this.field.name})`);
    return value;
  }
}

export class BooleanField extends BaseField {
  equals(value: boolean): Condition {
    if (typeof value !== 'boolean') reportProblem('SIEMC-R019', `${this.field.name} compares with true or false, not ${describe(value)}`);
    return condition(ir.equals(this.field, value));
  }
  isTrue(): Condition {
    return this.equals(true);
  }
  isFalse(): Condition {
    return this.equals(false);
  }
}

export class IpField extends BaseField {
  /** The address lies in one of the networks (IPv4 or IPv6 CIDR; a bare address means itself). */
  inCidr(cidrs: string | readonly string[]): Condition {
    const list = nonEmpty(this.field, 'CIDR', textValues(this.field, Array.isArray(cidrs) ? cidrs : [cidrs]));
    for (const c of list) if (parseCidr(c) === undefined) reportProblem('SIEMC-R014', `invalid CIDR "${c}" for ${this.field.name}`);
    return condition(ir.cidr(this.field, list));
  }
  /**
   * The address as text, for values and patterns rather than networks (`IpAddress: '-'` or
   * `'127.*'` in an imported Sigma rule): the evaluator reads every value as text. Elasticsearch
   * cannot run a text query on an `ip` field, so prefer inCidr where a network says the same.
   */
  asText(): StringField {
    return new StringField(this.field);
  }
}

export class DateField extends BaseField {}

export type FieldFor<T> = T extends StringType
  ? StringField
  : T extends NumberType
    ? NumberField
    : T extends 'boolean'
      ? BooleanField
      : T extends 'ip'
        ? IpField
        : T extends 'date'
          ? DateField
          : BaseField;

function fieldOf(name: string, type: ir.FieldType): BaseField {
  const f: ir.Field = Object.freeze({ name, type });
  const family = ir.familyOf(type);
  switch (family) {
    case 'string':
      return new StringField(f);
    case 'number':
      return new NumberField(f);
    case 'boolean':
      return new BooleanField(f);
    case 'ip':
      return new IpField(f);
    case 'date':
      return new DateField(f);
    case 'other':
      return new BaseField(f);
    default:
      return ir.assertNever(family, 'field family');
  }
}

/**
 * What a name that is not an ECS field meets: `field('dns.question.nam')` fails as "Argument of
 * type '"dns.question.nam"' is not assignable to parameter of type '"dns.question.nam" & NotAnEcsField'".
 */
export interface NotAnEcsField {
  readonly 'not an ECS field name (customField(name, type) declares one)': never;
}

/** `unknown` for an ECS field name (so `N & EcsFieldCheck<N>` is N), else NotAnEcsField. Not distributive: one check per call. */
export type EcsFieldCheck<N extends string> = [N] extends [EcsFieldName] ? unknown : NotAnEcsField;

/**
 * An ECS field by name; its operators follow its ECS type.
 *
 * The name is typed `N & EcsFieldCheck<N>` with N constrained to `string`, not `N extends
 * EcsFieldName`: with the 2,600-name union as N's constraint, TypeScript scanned the whole union
 * several times for every call while inferring N (about a fifth of a build's type check). Here
 * the check is one assignability test of the literal against the union, a binary search.
 */
export function field<N extends string>(name: N & EcsFieldCheck<N>): [N] extends [EcsFieldName] ? FieldFor<EcsFieldTypes[N]> : BaseField {
  // A name that is not ECS has its error; BaseField (what FieldFor gives an unknown type) adds none.
  type Result = [N] extends [EcsFieldName] ? FieldFor<EcsFieldTypes[N]> : BaseField;
  const type = (ecsFieldTypes as Readonly<Record<string, ir.FieldType>>)[name];
  if (type === undefined || !Object.prototype.hasOwnProperty.call(ecsFieldTypes, name)) {
    // Unreachable from type-checked code; kept for rules loaded without the type check.
    reportProblem('SIEMC-R015', `unknown ECS field "${String(name)}"`);
    return fieldOf(String(name), 'keyword') as Result;
  }
  return fieldOf(name, type) as Result;
}

/**
 * A field outside ECS, with the Elasticsearch type the rule author vouches for. The name must be
 * one every target can write (FIELD_NAME in text-checks.ts), and the type one siemc knows.
 */
export function customField<T extends ir.FieldType>(name: string, type: T): FieldFor<T> {
  checkFieldName(name);
  if (!Object.prototype.hasOwnProperty.call(ir.FIELD_TYPE_FAMILIES, type)) {
    // Unreachable from type-checked code; a plain-JavaScript rule could pass anything.
    reportProblem('SIEMC-R018', `field type ${JSON.stringify(type)} of ${JSON.stringify(name)} is not one of ${Object.keys(ir.FIELD_TYPE_FAMILIES).join(', ')}`);
    return fieldOf(String(name), 'keyword') as FieldFor<T>;
  }
  return fieldOf(String(name), type) as FieldFor<T>;
}
