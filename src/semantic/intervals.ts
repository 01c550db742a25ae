/**
 * Numbers and IP addresses cut into pieces on which every numeric (or CIDR) leaf of a field
 * is constant. A leaf's truth on a piece is read off one representative value, with the
 * evaluator itself, so the pieces cannot disagree with it.
 */
import type { CidrNode, EqualsNode, RangeNode } from '../ir/nodes.js';
import { parseCidr } from '../ir/cidr.js';

export type NumericLeaf = RangeNode | (EqualsNode & { readonly value: number });

/**
 * The values `asNumber` can produce are the doubles and, from text such as `"1e999"`, the two
 * infinities. Representatives of pieces: every bound itself and one double strictly between
 * consecutive bounds, when there is one.
 */
export function numericRepresentatives(leaves: readonly NumericLeaf[]): number[] {
  const points = new Set<number>([-Infinity, Infinity]);
  for (const leaf of leaves) {
    const bounds = leaf.kind === 'equals' ? [leaf.value] : [leaf.gt, leaf.gte, leaf.lt, leaf.lte];
    for (const b of bounds) if (b !== undefined && !Number.isNaN(b)) points.add(b === 0 ? 0 : b);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as number;
    out.push(a);
    const b = sorted[i + 1];
    if (b === undefined) continue;
    const between = [0, -1, 1, Math.floor(a) + 1, Math.ceil(b) - 1, a / 2 + b / 2, nextUp(a)].find((c) => c > a && c < b && Number.isFinite(c));
    if (between !== undefined) out.push(between);
  }
  return out;
}

/** The next double above `x`. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

/** A numeric value as an event holds it: a JSON number, or text for the infinities JSON cannot write. */
export function numericValue(n: number): number | string {
  if (n === Infinity) return '1e999';
  if (n === -Infinity) return '-1e999';
  return n;
}

const ADDRESS_SPACE = 1n << 128n;
const V4_MAPPED = 0xffff00000000n;

/**
 * Representative addresses (as text `parseIp` reads back to the same number): the first
 * address of every piece between network boundaries, in the 128-bit space where IPv4 is mapped.
 */
export function ipRepresentatives(leaves: readonly CidrNode[]): string[] {
  const points = new Set<bigint>([0n, V4_MAPPED]);
  for (const leaf of leaves) {
    for (const text of leaf.cidrs) {
      const net = parseCidr(text);
      if (net === undefined) continue;
      const size = 1n << BigInt(128 - net.bits);
      const low = (net.base / size) * size;
      points.add(low);
      if (low + size < ADDRESS_SPACE) points.add(low + size);
      if (low + size - 1n >= 0n) points.add(low + size - 1n);
    }
  }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(formatIp);
}

/** IPv4-mapped addresses as dotted quads, every other one as eight IPv6 groups. */
export function formatIp(n: bigint): string {
  if (n >> 32n === 0xffffn) {
    return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
