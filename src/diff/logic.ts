/**
 * What changed in a query, in the rule author's terms, from the two normalised IR trees: values
 * added to or removed from a field's list, a clause added or removed, a match made case-sensitive,
 * a field renamed. This is a reading aid: the meaning of the change (broader, narrower) comes from
 * the semantic comparison, never from here. Children of `all`/`any` are paired by what they test
 * (label, field, operator), so reordering clauses or values reads as a reorder, not as a rewrite.
 */
import type { SourceLocation } from '../model/location.js';
import { assertNever, isLeaf, type LeafNode, type Node } from '../ir/nodes.js';
import { fieldsOf } from '../ir/fields.js';
import { fold } from '../ir/fold.js';
import { inherit, originOf } from '../ir/origins.js';
import { patternKey } from '../ir/pattern.js';
import { leafTest, matchOperator, nodeText, patternText, quote, valueList } from './describe.js';

export type LogicChangeKind =
  | 'values'
  | 'reordered'
  | 'case'
  | 'field'
  | 'test'
  | 'clause-added'
  | 'clause-removed'
  | 'replaced'
  | 'group'
  | 'negation'
  | 'label';

export interface LogicChange {
  readonly kind: LogicChangeKind;
  /** Where in the query: the labels (and `not`s) above the change, `query` at the top. */
  readonly where: string;
  /** One readable line: `dns.question.name ("Add new WebSvc domains here"): + "evil.example"`. */
  readonly text: string;
  /** Values added and removed, for `values` (all of them; `text` shows a few). */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  /** The source line of the changed clause: the new version's, or the old one's for a removal. */
  readonly at?: SourceLocation;
  /** Whether `at` is in the base version's source. */
  readonly atBase?: boolean;
}

/** Values listed in `text` before "… N more". */
const SHOWN_VALUES = 12;

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

function canonical(value: unknown, dropLabels: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => canonical(v, dropLabels));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !(dropLabels && k === 'label'))
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => [k, canonical(v, dropLabels)] as const);
    return Object.fromEntries(entries) as Json;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value as Json;
}

/** Structural identity, labels included (labels change outputs: comments, names). */
export const nodeKey = (node: Node): string => JSON.stringify(canonical(node, false));
/** Structural identity of what a node tests, labels ignored. */
export const meaningKey = (node: Node): string => JSON.stringify(canonical(node, true));

interface Context {
  readonly path: readonly string[];
  readonly out: LogicChange[];
}

const whereOf = (ctx: Context): string => (ctx.path.length === 0 ? 'query' : ctx.path.join(' > '));

/** The path segment a group adds: `not` (an exclusion) and its label; unlabelled all/any add nothing. */
function segment(node: Node): string | undefined {
  if (node.kind === 'not') return node.label === undefined ? 'not' : `not ${quote(node.label)}`;
  return node.label === undefined ? undefined : quote(node.label);
}

function inside(ctx: Context, node: Node): Context {
  const s = segment(node);
  return s === undefined ? ctx : { ...ctx, path: [...ctx.path, s] };
}

function push(ctx: Context, change: Omit<LogicChange, 'where' | 'at' | 'atBase'>, node: Node, base: boolean): void {
  const at = originOf(node);
  ctx.out.push({ ...change, where: whereOf(ctx), ...(at === undefined ? {} : { at, atBase: base }) });
}

export function logicChanges(before: Node, after: Node): LogicChange[] {
  const ctx: Context = { path: [], out: [] };
  diffNode(before, after, ctx);
  return ctx.out;
}

function leafHead(leaf: LeafNode): string {
  return leaf.label === undefined ? leaf.field.name : `${leaf.field.name} (${quote(leaf.label)})`;
}

function labelChange(a: Node, b: Node, ctx: Context): void {
  if (a.label === b.label) return;
  const text =
    a.label === undefined ? `label ${quote(b.label as string)} added`
    : b.label === undefined ? `label ${quote(a.label)} removed`
    : `label ${quote(a.label)} renamed to ${quote(b.label)}`;
  push(ctx, { kind: 'label', text }, b, false);
}

function diffNode(a: Node, b: Node, ctx: Context): void {
  if (nodeKey(a) === nodeKey(b)) return;
  if (isLeaf(a) && isLeaf(b)) return diffLeaf(a, b, ctx);
  if (a.kind === 'not' && b.kind === 'not') {
    labelChange(a, b, ctx);
    return diffNode(a.child, b.child, inside(ctx, b));
  }
  if ((a.kind === 'and' || a.kind === 'or') && (b.kind === 'and' || b.kind === 'or')) {
    if (a.kind !== b.kind) {
      const word = (k: 'and' | 'or') => (k === 'and' ? 'all(...) (every clause)' : 'any(...) (one clause is enough)');
      push(ctx, { kind: 'group', text: `${segment(b) ?? 'a group'} changed from ${word(a.kind)} to ${word(b.kind)}` }, b, false);
    }
    labelChange(a, b, ctx);
    return diffChildren(a.children, b.children, inside(ctx, b));
  }
  if (b.kind === 'not' && meaningKey(b.child) === meaningKey(a)) {
    push(ctx, { kind: 'negation', text: `now negated: ${nodeText(a)}` }, b, false);
    return;
  }
  if (a.kind === 'not' && meaningKey(a.child) === meaningKey(b)) {
    push(ctx, { kind: 'negation', text: `no longer negated: ${nodeText(b)}` }, b, false);
    return;
  }
  // A clause wrapped into a new group (`x` became `any(x, y)`), or unwrapped from one. Normalising
  // a one-clause group hands the group's label to the clause; then the label did not change.
  if ((b.kind === 'and' || b.kind === 'or') && b.children.some((c) => meaningKey(c) === meaningKey(a))) {
    if (a.label !== undefined && a.label === b.label) return diffChildren([unlabelled(a)], b.children, inside(ctx, b));
    push(ctx, { kind: 'group', text: `${nodeText(a, 80)} now sits in ${nodeText(b, 80)}` }, b, false);
    return diffChildren([a], b.children, inside(ctx, b));
  }
  if ((a.kind === 'and' || a.kind === 'or') && a.children.some((c) => meaningKey(c) === meaningKey(b))) {
    if (b.label !== undefined && b.label === a.label) return diffChildren(a.children, [unlabelled(b)], inside(ctx, a));
    push(ctx, { kind: 'group', text: `${nodeText(b, 80)} no longer sits in ${nodeText(a, 80)}` }, b, false);
    return diffChildren(a.children, [b], inside(ctx, a));
  }
  push(ctx, { kind: 'replaced', text: `${nodeText(a)} replaced by ${nodeText(b)}` }, b, false);
}

function unlabelled(node: Node): Node {
  const { label: _label, ...rest } = node;
  return inherit(node, Object.freeze(rest) as Node);
}

function valuesChange(head: string, before: readonly string[], after: readonly string[], beforeKeys: readonly string[], afterKeys: readonly string[]): { added: string[]; removed: string[]; text: string } | undefined {
  const inBefore = new Set(beforeKeys);
  const inAfter = new Set(afterKeys);
  const added = after.filter((_, i) => !inBefore.has(afterKeys[i] as string));
  const removed = before.filter((_, i) => !inAfter.has(beforeKeys[i] as string));
  if (added.length === 0 && removed.length === 0) return undefined;
  const parts: string[] = [];
  if (added.length > 0) parts.push(`+ ${valueList(added, SHOWN_VALUES).replace(/^\[|\]$/g, '')}`);
  if (removed.length > 0) parts.push(`- ${valueList(removed, SHOWN_VALUES).replace(/^\[|\]$/g, '')}`);
  return { added, removed, text: `${head}: ${parts.join('; ')}` };
}

function diffLeaf(a: LeafNode, b: LeafNode, ctx: Context): void {
  labelChange(a, b, ctx);
  if (a.kind !== b.kind) {
    if (a.field.name === b.field.name) push(ctx, { kind: 'test', text: `${leafHead(b)}: ${leafTest(a)} became ${leafTest(b)}` }, b, false);
    else push(ctx, { kind: 'replaced', text: `${nodeText(a)} replaced by ${nodeText(b)}` }, b, false);
    return;
  }
  if (a.field.name !== b.field.name) {
    const same = meaningKey({ ...b, field: a.field } as LeafNode) === meaningKey(a);
    const text = `field ${a.field.name} renamed to ${b.field.name}${same ? ` (${leafTest(b)})` : `; ${leafTest(a)} became ${leafTest(b)}`}`;
    push(ctx, { kind: 'field', text }, b, false);
    return;
  }
  const head = leafHead(b);
  switch (a.kind) {
    case 'match': {
      const bm = b as typeof a;
      if (a.caseInsensitive !== bm.caseInsensitive) {
        const now = bm.caseInsensitive ? 'now ignores case' : 'now case-sensitive';
        push(ctx, { kind: 'case', text: `${head}: ${now} (${matchOperator(a)} → ${matchOperator(bm)})` }, b, false);
      }
      const change = valuesChange(head, a.patterns.map(patternText), bm.patterns.map(patternText), a.patterns.map(patternKey), bm.patterns.map(patternKey));
      if (change !== undefined) push(ctx, { kind: 'values', ...change }, b, false);
      else if (a.caseInsensitive === bm.caseInsensitive && nodeKey({ ...a, label: '' }) !== nodeKey({ ...bm, label: '' }))
        push(ctx, { kind: 'reordered', text: `${head}: the same ${bm.patterns.length} values, reordered` }, b, false);
      return;
    }
    case 'cidr': {
      const bc = b as typeof a;
      const change = valuesChange(head, a.cidrs, bc.cidrs, a.cidrs, bc.cidrs);
      if (change !== undefined) push(ctx, { kind: 'values', ...change }, b, false);
      else if (a.cidrs.join('\n') !== bc.cidrs.join('\n')) push(ctx, { kind: 'reordered', text: `${head}: the same ${bc.cidrs.length} networks, reordered` }, b, false);
      return;
    }
    case 'regex': {
      const br = b as typeof a;
      if (a.caseInsensitive !== br.caseInsensitive) push(ctx, { kind: 'case', text: `${head}: ${br.caseInsensitive ? 'now ignores case' : 'now case-sensitive'} (${br.caseInsensitive ? 'matches → matchesIgnoreCase' : 'matchesIgnoreCase → matches'})` }, b, false);
      if (a.regex !== br.regex) push(ctx, { kind: 'test', text: `${head}: /${a.regex}/ became /${br.regex}/` }, b, false);
      return;
    }
    case 'equals':
    case 'range':
    case 'exists':
      if (meaningKey(a) !== meaningKey(b)) push(ctx, { kind: 'test', text: `${head}: ${leafTest(a)} became ${leafTest(b)}` }, b, false);
      return;
    default:
      return assertNever(a, 'IR leaf');
  }
}

function fieldSet(node: Node): Set<string> {
  return new Set(fieldsOf(node).map((f) => f.name));
}

/** How alike two siblings are (0: unrelated); the highest-scoring pairs are diffed against each other. */
function likeness(a: Node, b: Node): number {
  if (meaningKey(a) === meaningKey(b)) return 1000;
  if (a.label !== undefined && a.label === b.label) return 500;
  if (isLeaf(a) && isLeaf(b)) {
    if (a.field.name === b.field.name) return a.kind === b.kind ? 300 : 200;
    if (a.kind === b.kind && meaningKey({ ...b, field: a.field } as LeafNode) === meaningKey(a)) return 150;
    return 0;
  }
  if (b.kind === 'not' && meaningKey(b.child) === meaningKey(a)) return 250;
  if (a.kind === 'not' && meaningKey(a.child) === meaningKey(b)) return 250;
  if (a.kind === 'not' && b.kind === 'not') return 0.9 * likeness(a.child, b.child);
  if ((b.kind === 'and' || b.kind === 'or') && b.children.some((c) => meaningKey(c) === meaningKey(a))) return 120;
  if ((a.kind === 'and' || a.kind === 'or') && a.children.some((c) => meaningKey(c) === meaningKey(b))) return 120;
  if (a.kind === b.kind && !isLeaf(a)) {
    const fa = fieldSet(a);
    const fb = fieldSet(b);
    const common = [...fa].filter((f) => fb.has(f)).length;
    return common === 0 ? 0 : (100 * common) / new Set([...fa, ...fb]).size;
  }
  return 0;
}

function diffChildren(as: readonly Node[], bs: readonly Node[], ctx: Context): void {
  const usedB = new Set<number>();
  const restA: number[] = [];
  const keysB = bs.map(nodeKey);
  as.forEach((a, i) => {
    const k = nodeKey(a);
    const j = keysB.findIndex((kb, jj) => kb === k && !usedB.has(jj));
    if (j >= 0) usedB.add(j);
    else restA.push(i);
  });
  const restB = bs.map((_, j) => j).filter((j) => !usedB.has(j));
  const candidates: { i: number; j: number; score: number }[] = [];
  for (const i of restA) for (const j of restB) {
    const score = likeness(as[i] as Node, bs[j] as Node);
    if (score > 0) candidates.push({ i, j, score });
  }
  candidates.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const pairedA = new Set<number>();
  const pairedB = new Set<number>();
  const pairs: { i: number; j: number }[] = [];
  for (const c of candidates) {
    if (pairedA.has(c.i) || pairedB.has(c.j)) continue;
    pairedA.add(c.i);
    pairedB.add(c.j);
    pairs.push(c);
  }
  // Report in the new version's order, removals where they stood in the old one.
  for (const { i, j } of pairs.sort((x, y) => x.j - y.j)) diffNode(as[i] as Node, bs[j] as Node, ctx);
  for (const i of restA) if (!pairedA.has(i)) push(ctx, { kind: 'clause-removed', text: `clause removed: ${nodeText(as[i] as Node)}` }, as[i] as Node, true);
  for (const j of restB) if (!pairedB.has(j)) push(ctx, { kind: 'clause-added', text: `clause added: ${nodeText(bs[j] as Node)}` }, bs[j] as Node, false);
}

/** True when the two queries are the same tree but for the order of children or list values. */
export function sameUpToOrder(a: Node, b: Node): boolean {
  return orderFree(a) === orderFree(b);
}

function orderFree(node: Node): string {
  return fold<string>(node, {
    leaf: (leaf) => {
      if (leaf.kind === 'match') return meaningKey({ ...leaf, patterns: [...leaf.patterns].sort((x, y) => (patternKey(x) < patternKey(y) ? -1 : 1)) });
      if (leaf.kind === 'cidr') return meaningKey({ ...leaf, cidrs: [...leaf.cidrs].sort() });
      return meaningKey(leaf);
    },
    not: (_, child) => `not(${child})`,
    and: (_, children) => `and(${[...children].sort().join(',')})`,
    or: (_, children) => `or(${[...children].sort().join(',')})`,
  });
}
