/**
 * Witness events from a rule's IR, cheap enough for whole corpora: per field, values that make
 * each of its leaves true and false (every pattern filled plainly and with characters that break
 * escaping, in both cases; numbers at and beside each bound; an address in and out of each
 * network), each on one event with the other fields random or missing; then random events.
 * (Building the leaves' automata, as src/semantic does, takes minutes on long case-insensitive
 * lists.) Seeded, so a failure reproduces.
 */
import { asBoolean, asNumber, type Json, type Scalar } from '../../src/eval/values.js';
import { parseIp } from '../../src/ir/cidr.js';
import { assertNever, familyOf, isLeaf, type FieldType, type LeafNode, type Node } from '../../src/ir/nodes.js';
import type { Pattern } from '../../src/ir/pattern.js';
import { buildEvent } from '../../src/semantic/events.js';

const RANDOM_EVENTS = 12;

export function leaves(node: Node, out: LeafNode[] = []): LeafNode[] {
  if (isLeaf(node)) out.push(node);
  else if (node.kind === 'not') leaves(node.child, out);
  else node.children.forEach((c) => leaves(c, out));
  return out;
}

/** A seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * A witness value as the field's mapping takes it: Elasticsearch rejects a document whose value
 * does not parse (docs/semantics.md), so such cells get a value of the type instead.
 */
function fitting(value: Scalar, type: FieldType): Scalar[] {
  switch (familyOf(type)) {
    case 'number': {
      // Integer fields keep the integer part of a decimal (coerce), so witnesses are integers there.
      const n = asNumber(value);
      const integer = type === 'long' || type === 'integer';
      return n === undefined || !Number.isFinite(n) ? [0] : [integer ? Math.trunc(n) : n];
    }
    case 'boolean':
      return [asBoolean(value) ?? false];
    case 'ip':
      return parseIp(String(value).trim()) === undefined ? ['192.0.2.1'] : [String(value).trim()];
    default:
      return [value];
  }
}

/** Text for a pattern: each wildcard filled with `fill` (a run) or `one` (one character). */
function patternText(pattern: Pattern, fill: string, one: string): string {
  return pattern.map((p) => (p.kind === 'literal' ? p.text : p.kind === 'anyRun' ? fill : one)).join('');
}

/**
 * Values that make a leaf true and false: every pattern filled plainly and with characters that
 * break escaping, in both cases; numbers at and beside each bound; an address in and out of each
 * network. (Building the leaves' automata, as src/semantic does, takes minutes on Elastic's long
 * case-insensitive lists; these values are enough to make each leaf true once and false once.)
 */
function leafValues(leaf: LeafNode): Scalar[] {
  switch (leaf.kind) {
    case 'match':
      return leaf.patterns.flatMap((p) => {
        const plain = patternText(p, '', 'a');
        const nasty = patternText(p, ' *\\?"é', '\\');
        return [plain, nasty, plain.toUpperCase(), `${plain}x`, plain.slice(1)];
      });
    case 'regex':
      return ['', 'a', leaf.regex.replace(/[\\^$.*+?()[\]{}|]/g, '')];
    case 'exists':
      return ['', 'x'];
    case 'equals':
      return typeof leaf.value === 'boolean' ? [true, false] : [leaf.value, leaf.value + 1, leaf.value - 0.5];
    case 'range':
      return [leaf.gt, leaf.gte, leaf.lt, leaf.lte].flatMap((b) => (b === undefined ? [] : [b, b + 1, b - 1, b + 0.5]));
    case 'cidr':
      return [...leaf.cidrs.map((c) => c.split('/')[0] as string), '192.0.2.1', '2001:db8::1'];
    default:
      return assertNever(leaf, 'leaf');
  }
}

/** Witness events: every value of every field once, the other fields random (or missing); then random events. */
export function witnesses(query: Node, seed: number, maxValuesPerField = Infinity): Json[] {
  const values = new Map<string, Scalar[]>();
  for (const l of leaves(query)) {
    const vs = leafValues(l).flatMap((v) => fitting(v, l.field.type));
    values.set(l.field.name, [...new Set([...(values.get(l.field.name) ?? []), ...vs])]);
  }
  // Long lists: every k-th value, so each field stays within the budget (deterministically).
  for (const [name, vs] of values) {
    if (vs.length > maxValuesPerField) {
      const step = vs.length / maxValuesPerField;
      values.set(name, Array.from({ length: maxValuesPerField }, (_, i) => vs[Math.floor(i * step)] as Scalar));
    }
  }
  const rnd = random(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const randomFields = (): Map<string, Scalar[]> => {
    const m = new Map<string, Scalar[]>();
    for (const [name, vs] of values) {
      const r = rnd();
      m.set(name, r < 0.25 ? [] : r < 0.9 ? [pick(vs)] : [pick(vs), pick(vs)]);
    }
    return m;
  };
  const events: Json[] = [];
  for (const [name, vs] of values) {
    for (const v of vs) {
      const m = randomFields();
      m.set(name, [v]);
      events.push(buildEvent(m));
    }
    const missing = randomFields();
    missing.set(name, []);
    events.push(buildEvent(missing));
  }
  for (let i = 0; i < RANDOM_EVENTS; i++) events.push(buildEvent(randomFields()));
  return events;
}

