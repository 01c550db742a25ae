/**
 * The `search` part: a prefilter that keeps at least every event the IR matches. Each node is
 * rendered twice: `over` (matches a superset) and `under` (matches a subset). A negation swaps
 * them (`not` of a subset is a superset), so what stays under a `not` is always a part that is
 * exact or narrower, and the search as a whole never loses an event. Where `over` is not also
 * exact, the `| where` clause decides (see where.ts).
 */
import { assertNever, type LeafNode, type Node } from '../../ir/nodes.js';
import { searchField, searchValue, splComment, splNumber, splString } from './strings.js';
import { INDENT_STEP } from '../common.js';

/** A search expression; `all`/`none` are the constants that simplification removes. */
export type Search =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'values'; readonly field: string; readonly values: readonly string[]; readonly label?: string }
  | { readonly kind: 'term'; readonly text: string; readonly label?: string }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Search[]; readonly label?: string }
  | { readonly kind: 'not'; readonly child: Search; readonly label?: string };

export interface Approx {
  readonly over: Search;
  readonly under: Search;
  /** `over` and `under` both match exactly what the IR node matches. */
  readonly exact: boolean;
}

const ALL: Search = { kind: 'all' };
const NONE: Search = { kind: 'none' };

function withLabel(s: Search, label: string | undefined): Search {
  return label === undefined || s.kind === 'all' || s.kind === 'none' || s.label !== undefined ? s : { ...s, label };
}

function group(kind: 'and' | 'or', children: readonly Search[], label: string | undefined): Search {
  const absorbing = kind === 'and' ? 'none' : 'all';
  const neutral = kind === 'and' ? 'all' : 'none';
  const kept: Search[] = [];
  for (const c of children) {
    if (c.kind === absorbing) return c;
    if (c.kind === neutral) continue;
    if (c.kind === kind && c.label === undefined) kept.push(...c.children);
    else kept.push(c);
  }
  if (kept.length === 0) return kind === 'and' ? ALL : NONE;
  if (kept.length === 1) return withLabel(kept[0] as Search, label);
  return { kind, children: kept, ...(label === undefined ? {} : { label }) };
}

function negate(s: Search, label: string | undefined): Search {
  if (s.kind === 'all') return NONE;
  if (s.kind === 'none') return ALL;
  return { kind: 'not', child: s, ...(label === undefined ? {} : { label }) };
}

function leafExact(s: Search): Approx {
  return { over: s, under: s, exact: true };
}

export function approximate(node: Node): Approx {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = node.children.map(approximate);
      return {
        over: group(node.kind, parts.map((p) => p.over), node.label),
        under: group(node.kind, parts.map((p) => p.under), node.label),
        exact: parts.every((p) => p.exact),
      };
    }
    case 'not': {
      const inner = approximate(node.child);
      return { over: negate(inner.under, node.label), under: negate(inner.over, node.label), exact: inner.exact };
    }
    case 'match':
    case 'exists':
    case 'equals':
    case 'range':
    case 'cidr':
    case 'regex': {
      const a = leaf(node);
      return { over: withLabel(a.over, node.label), under: withLabel(a.under, node.label), exact: a.exact };
    }
    default:
      return assertNever(node, 'IR node');
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function values(field: string, list: readonly string[]): Search {
  return list.length === 0 ? NONE : { kind: 'values', field, values: unique(list) };
}

function leaf(node: LeafNode): Approx {
  const f = searchField(node.field.name);
  switch (node.kind) {
    case 'match': {
      const rendered = node.patterns.map((p) => searchValue(p, node.caseInsensitive));
      const exact = rendered.every((r) => r.exact);
      return {
        over: values(f, rendered.map((r) => r.text)),
        under: values(f, rendered.filter((r) => r.exact).map((r) => r.text)),
        exact,
      };
    }
    case 'exists':
      // `f=*`: the field has a value; `NOT f=*` (never `f!=*`, which matches nothing) when negated.
      return leafExact({ kind: 'term', text: `${f}=*` });
    case 'equals': {
      if (typeof node.value === 'number') {
        // `f=5` compares text ("5.0" would not match); two comparisons read the value as a number.
        // On a multi-valued field they may hold for different values, so this is only a superset.
        const n = splNumber(node.value);
        return { over: group('and', [{ kind: 'term', text: `${f}>=${n}` }, { kind: 'term', text: `${f}<=${n}` }], undefined), under: NONE, exact: false };
      }
      // Search ignores case, so `f=true` also matches "TRUE", which the IR does not.
      const over = node.value ? values(f, ['true']) : values(f, ['false', splString('')]);
      return { over, under: NONE, exact: false };
    }
    case 'range': {
      const bounds: Search[] = [];
      if (node.gt !== undefined) bounds.push({ kind: 'term', text: `${f}>${splNumber(node.gt)}` });
      if (node.gte !== undefined) bounds.push({ kind: 'term', text: `${f}>=${splNumber(node.gte)}` });
      if (node.lt !== undefined) bounds.push({ kind: 'term', text: `${f}<${splNumber(node.lt)}` });
      if (node.lte !== undefined) bounds.push({ kind: 'term', text: `${f}<=${splNumber(node.lte)}` });
      const over = group('and', bounds, undefined);
      // One comparison holds when some value satisfies it, as the IR says; two may hold for different values.
      return bounds.length <= 1 ? leafExact(over) : { over, under: NONE, exact: false };
    }
    case 'cidr':
      // `search` matches IPv4/IPv6 CIDR notation in a quoted value (S6).
      return leafExact(group('or', node.cidrs.map((c) => ({ kind: 'term', text: `${f}=${splString(c)}` })), undefined));
    case 'regex':
      // No regex in `search`: a regex needs a value, which is all the prefilter can say.
      return { over: { kind: 'term', text: `${f}=*` }, under: NONE, exact: false };
    default:
      return assertNever(node, 'IR leaf');
  }
}


function comment(label: string | undefined): string {
  return label === undefined ? '' : `${splComment(label)} `;
}

/** A list: inline when short, else one value per line (readable diffs). */
function list(items: readonly string[], indent: string): string {
  if (items.length <= 3 && items.join(', ').length <= 60) return `(${items.join(', ')})`;
  return `(\n${items.map((i) => `${indent}${INDENT_STEP}${i}`).join(',\n')}\n${indent})`;
}

/** Renders a search expression whose continuation lines are indented by `indent`. */
export function renderSearch(s: Search, indent: string): string {
  switch (s.kind) {
    case 'all':
      return 'index=*';
    case 'none':
      return 'NOT index=*';
    case 'values':
      return comment(s.label) + (s.values.length === 1 ? `${s.field}=${s.values[0] as string}` : `${s.field} IN ${list(s.values, indent)}`);
    case 'term':
      return comment(s.label) + s.text;
    case 'and':
    case 'or': {
      // Always parenthesised: in `search`, OR binds tighter than AND (S7).
      const op = s.kind === 'and' ? 'AND' : 'OR';
      const simple = s.children.every((c) => c.kind === 'term' && c.label === undefined);
      const inline = s.children.map((c) => (c.kind === 'term' ? c.text : '')).join(` ${op} `);
      if (simple && inline.length <= 60) return `${comment(s.label)}(${inline})`;
      const inner = `${indent}${INDENT_STEP}`;
      const body = s.children.map((c) => renderSearch(c, inner)).join(`\n${inner}${op} `);
      return `${comment(s.label)}(\n${inner}${body}\n${indent})`;
    }
    case 'not':
      return `${comment(s.label)}NOT ${renderSearch(s.child, indent)}`;
    default:
      return assertNever(s, 'search expression');
  }
}
