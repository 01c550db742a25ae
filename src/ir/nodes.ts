/**
 * The intermediate representation: one closed discriminated union of frozen nodes.
 * docs/semantics.md defines what each node means; src/eval/ implements exactly that.
 */
import type { Pattern } from './pattern.js';

/** Elasticsearch field types, as ECS names them, grouped by the values they hold. */
export const FIELD_TYPE_FAMILIES = {
  keyword: 'string', constant_keyword: 'string', wildcard: 'string', match_only_text: 'string', text: 'string', flattened: 'string',
  boolean: 'boolean',
  long: 'number', integer: 'number', float: 'number', double: 'number', scaled_float: 'number',
  date: 'date', ip: 'ip', geo_point: 'other', object: 'other', nested: 'other',
} as const;

export type FieldType = keyof typeof FIELD_TYPE_FAMILIES;
export type FieldFamily = (typeof FIELD_TYPE_FAMILIES)[FieldType];
export type FieldTypeOf<F extends FieldFamily> = { [T in FieldType]: (typeof FIELD_TYPE_FAMILIES)[T] extends F ? T : never }[FieldType];

export function familyOf(type: FieldType): FieldFamily {
  return FIELD_TYPE_FAMILIES[type];
}

export interface Field {
  readonly name: string;
  readonly type: FieldType;
}

/** An optional human label ("Discord App") that backends may use for comments and names. */
interface Labelled {
  readonly label?: string;
}

export interface AndNode extends Labelled { readonly kind: 'and'; readonly children: readonly Node[] }
export interface OrNode extends Labelled { readonly kind: 'or'; readonly children: readonly Node[] }
export interface NotNode extends Labelled { readonly kind: 'not'; readonly child: Node }
/** String match: some value of the field matches some pattern, whole-value. */
export interface MatchNode extends Labelled {
  readonly kind: 'match';
  readonly field: Field;
  readonly patterns: readonly Pattern[];
  readonly caseInsensitive: boolean;
}
export interface ExistsNode extends Labelled { readonly kind: 'exists'; readonly field: Field }
/** Equality with a boolean or a number (strings go through `match`). */
export interface EqualsNode extends Labelled {
  readonly kind: 'equals';
  readonly field: Field;
  readonly value: boolean | number;
}
export interface RangeNode extends Labelled {
  readonly kind: 'range';
  readonly field: Field;
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}
export interface CidrNode extends Labelled { readonly kind: 'cidr'; readonly field: Field; readonly cidrs: readonly string[] }
/** Regular expression in the portable subset described in docs/semantics.md, matched against the whole value. */
export interface RegexNode extends Labelled {
  readonly kind: 'regex';
  readonly field: Field;
  readonly regex: string;
  readonly caseInsensitive: boolean;
}

export type Node = AndNode | OrNode | NotNode | MatchNode | ExistsNode | EqualsNode | RangeNode | CidrNode | RegexNode;
export type NodeKind = Node['kind'];
export type LeafNode = Exclude<Node, AndNode | OrNode | NotNode>;

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

function freeze<T extends Node>(node: T): T {
  return Object.freeze(node);
}

function withLabel(label: string | undefined): Labelled {
  return label === undefined ? {} : { label };
}

export const and = (children: readonly Node[], label?: string): AndNode =>
  freeze({ kind: 'and', children: Object.freeze([...children]), ...withLabel(label) });
export const or = (children: readonly Node[], label?: string): OrNode =>
  freeze({ kind: 'or', children: Object.freeze([...children]), ...withLabel(label) });
export const not = (child: Node, label?: string): NotNode => freeze({ kind: 'not', child, ...withLabel(label) });
export const match = (field: Field, patterns: readonly Pattern[], caseInsensitive: boolean, label?: string): MatchNode =>
  freeze({ kind: 'match', field, patterns: Object.freeze([...patterns]), caseInsensitive, ...withLabel(label) });
export const exists = (field: Field, label?: string): ExistsNode => freeze({ kind: 'exists', field, ...withLabel(label) });
export const equals = (field: Field, value: boolean | number, label?: string): EqualsNode =>
  freeze({ kind: 'equals', field, value, ...withLabel(label) });
export const range = (
  field: Field,
  bounds: { gt?: number; gte?: number; lt?: number; lte?: number },
  label?: string,
): RangeNode => {
  const defined = Object.fromEntries(Object.entries(bounds).filter(([, v]) => v !== undefined));
  return freeze({ kind: 'range', field, ...defined, ...withLabel(label) });
};
export const cidr = (field: Field, cidrs: readonly string[], label?: string): CidrNode =>
  freeze({ kind: 'cidr', field, cidrs: Object.freeze([...cidrs]), ...withLabel(label) });
export const regex = (field: Field, source: string, caseInsensitive: boolean, label?: string): RegexNode =>
  freeze({ kind: 'regex', field, regex: source, caseInsensitive, ...withLabel(label) });

export function isLeaf(node: Node): node is LeafNode {
  return node.kind !== 'and' && node.kind !== 'or' && node.kind !== 'not';
}

/** A short human description of where a node sits, for diagnostics: `not > or "Discord App" > process.name`. */
export function describeNode(node: Node): string {
  const label = node.label === undefined ? '' : ` "${node.label}"`;
  return isLeaf(node) ? `${node.kind} ${node.field.name}${label}` : `${node.kind}${label}`;
}
