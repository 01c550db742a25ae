/** Pieces several backends share: range bounds, and the approximations that follow from them and from CIDR. */
import type { ApproximationCode } from '../codes.js';
import { assertNever, type CidrNode, type LeafNode, type RangeNode } from '../ir/nodes.js';
import type { Approximation } from './backend.js';

export const RANGE_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
export type RangeOp = (typeof RANGE_OPS)[number];

/** How the comparison targets (EQL, KQL, SPL's where) spell each bound. */
export const RANGE_SYMBOL: Readonly<Record<RangeOp, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** One level of nesting in every text target, so outputs read alike across targets. */
export const INDENT_STEP = '  ';

/** The bounds a range node sets, in gt, gte, lt, lte order. */
export function rangeBounds(node: RangeNode): [RangeOp, number][] {
  return RANGE_OPS.flatMap((op) => {
    const v = node[op];
    return v === undefined ? [] : [[op, v] as [RangeOp, number]];
  });
}

/**
 * Targets that write each bound as its own comparison let each bound hold for a different
 * value of a multi-valued field ({"n": [0, 10]} satisfies `n >= 1 and n <= 5`), where the IR
 * needs one value within all bounds.
 */
export function splitRange(node: RangeNode, code: ApproximationCode): Approximation | undefined {
  if (rangeBounds(node).length < 2) return undefined;
  return {
    code,
    message: `the bounds of ${node.field.name} are separate comparisons: on a field with several values, each bound may hold for a different value`,
    node,
    direction: 'widened',
  };
}

/** CIDR matching needs an `ip` field; on any other type the network is compared as text. */
export function cidrOnNonIp(node: CidrNode, code: ApproximationCode): Approximation | undefined {
  if (node.field.type === 'ip') return undefined;
  return {
    code,
    message: `${node.field.name} is a ${node.field.type} field, not ip: the CIDR ${node.cidrs.join(', ')} is compared as text`,
    node,
    direction: 'not expressible',
  };
}

/**
 * The IR (as Elasticsearch, which stores IPv4 as IPv4-mapped IPv6) puts `::ffff:10.1.2.3` inside
 * 10.0.0.0/8; engines that compare IPv4 networks with IPv4 text only do not.
 */
export function ipv4MappedCidr(node: CidrNode, code: ApproximationCode): Approximation | undefined {
  if (!node.cidrs.some((c) => !c.includes(':'))) return undefined;
  return {
    code,
    message: `IPv4 networks of ${node.field.name} may not match IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), which the IR includes`,
    node,
    direction: 'narrowed',
  };
}

/** Whether the text holds a lone surrogate (a UTF-16 half with no partner). */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Surrogate}/u.test(text);
}

/**
 * A lone surrogate has no UTF-8 form, and some targets' escapes refuse it too (EQL's `\u{...}`,
 * PCRE's `\x{...}`): they write U+FFFD in its place and report the leaf with this. The DSL
 * rejects such values (SIEMC-R017), so only IR built directly can reach here.
 */
export function loneSurrogate(node: LeafNode, code: ApproximationCode, target: string): Approximation | undefined {
  const texts = leafTexts(node);
  if (!texts.some(hasLoneSurrogate)) return undefined;
  return {
    code,
    message: `a value of ${node.field.name} holds a lone surrogate, which ${target} cannot write: U+FFFD stands in its place`,
    node,
    direction: 'not expressible',
  };
}

/** Every string of a leaf that a backend writes as text: field name, literals, regex source, CIDRs. */
export function leafTexts(node: LeafNode): string[] {
  switch (node.kind) {
    case 'match':
      return [node.field.name, ...node.patterns.flatMap((p) => p.flatMap((part) => (part.kind === 'literal' ? [part.text] : [])))];
    case 'regex':
      return [node.field.name, node.regex];
    case 'cidr':
      return [node.field.name, ...node.cidrs];
    case 'exists':
    case 'equals':
    case 'range':
      return [node.field.name];
    default:
      return assertNever(node, 'IR leaf');
  }
}
