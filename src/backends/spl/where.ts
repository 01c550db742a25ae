/**
 * The `| where` part: the IR's exact meaning as an eval expression. eval compares case-
 * sensitively and regexes say exactly what they mean (pcre.ts), so no leaf here approximates.
 * eval logic has a third value, null: a function of a missing field gives null, and `NOT null`
 * is null, which `where` drops. Leaves under a `not` are guarded with `isnotnull(f) AND ...`
 * so a missing field makes them false and the `not` true, as the IR says.
 */
import { assertNever, isLeaf, type LeafNode, type Node } from '../../ir/nodes.js';
import type { Pattern } from '../../ir/pattern.js';
import { irRegexToPcre, patternToPcre, type RegexIssue } from './pcre.js';
import { splComment, splNumber, splString, whereField } from './strings.js';
import { INDENT_STEP } from '../common.js';

export type Where =
  | { readonly kind: 'atom'; readonly text: string; readonly label?: string }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Where[]; readonly label?: string }
  | { readonly kind: 'not'; readonly child: Where; readonly label?: string };

export interface WhereOptions {
  /** Called for regex constructs outside the portable subset. */
  readonly onRegexIssue: (node: LeafNode, issue: RegexIssue) => void;
}

function labelled<T extends Where>(w: T, label: string | undefined): T {
  return label === undefined ? w : { ...w, label };
}

function anyOf(alternatives: readonly Where[]): Where {
  return alternatives.length === 1 ? (alternatives[0] as Where) : { kind: 'or', children: alternatives };
}

/** The exact eval form of a node; `underNot` is true anywhere below a `not` (guards are needed at any depth). */
export function toWhere(node: Node, underNot: boolean, options: WhereOptions): Where {
  if (isLeaf(node)) return labelled(leaf(node, underNot, options), node.label);
  switch (node.kind) {
    case 'and':
    case 'or':
      return labelled({ kind: node.kind, children: node.children.map((c) => toWhere(c, underNot, options)) }, node.label);
    case 'not':
      if (node.child.kind === 'exists' && node.child.label === undefined) {
        return labelled({ kind: 'atom', text: `isnull(${whereField(node.child.field.name)})` }, node.label);
      }
      return labelled({ kind: 'not', child: toWhere(node.child, true, options) }, node.label);
    default:
      return assertNever(node, 'IR group');
  }
}

const atom = (text: string): Where => ({ kind: 'atom', text });

function leaf(node: LeafNode, underNot: boolean, options: WhereOptions): Where {
  const f = whereField(node.field.name);
  const guarded = (w: Where): Where => (underNot ? { kind: 'and', children: [atom(`isnotnull(${f})`), w] } : w);
  const match = (pcre: string): Where => atom(`match(${f}, ${splString(pcre)})`);
  switch (node.kind) {
    case 'match':
      return guarded(anyOf(node.patterns.map((p: Pattern) => match(patternToPcre(p, node.caseInsensitive)))));
    case 'exists':
      return atom(`isnotnull(${f})`);
    case 'equals':
      if (typeof node.value === 'number') return guarded(atom(`${f}==${splNumber(node.value)}`));
      // A boolean field's text: "true", or "false" / "" (docs/semantics.md), compared case-sensitively.
      return guarded(match(node.value ? '^true\\z' : '^(?:false)?\\z'));
    case 'range': {
      const bounds: string[] = [];
      if (node.gt !== undefined) bounds.push(`${f}>${splNumber(node.gt)}`);
      if (node.gte !== undefined) bounds.push(`${f}>=${splNumber(node.gte)}`);
      if (node.lt !== undefined) bounds.push(`${f}<${splNumber(node.lt)}`);
      if (node.lte !== undefined) bounds.push(`${f}<=${splNumber(node.lte)}`);
      if (bounds.length === 1) return guarded(atom(bounds[0] as string));
      // Every bound must hold for the same value: mvfilter tests each value on its own.
      return atom(`isnotnull(mvfilter(${bounds.join(' AND ')}))`);
    }
    case 'cidr':
      return guarded(anyOf(node.cidrs.map((c) => atom(`cidrmatch(${splString(c)}, ${f})`))));
    case 'regex': {
      const { pcre, issues } = irRegexToPcre(node.regex, node.caseInsensitive);
      for (const issue of issues) options.onRegexIssue(node, issue);
      return guarded(match(pcre));
    }
    default:
      return assertNever(node, 'IR leaf');
  }
}


function comment(label: string | undefined): string {
  return label === undefined ? '' : `${splComment(label)} `;
}

/** Renders with continuation lines indented by `indent`; every group is parenthesised. */
export function renderWhere(w: Where, indent: string): string {
  switch (w.kind) {
    case 'atom':
      return comment(w.label) + w.text;
    case 'not':
      return `${comment(w.label)}NOT ${renderWhere(w.child, indent)}`;
    case 'and':
    case 'or': {
      const op = w.kind === 'and' ? 'AND' : 'OR';
      const inline = w.children.every((c) => c.kind === 'atom' && c.label === undefined)
        ? w.children.map((c) => (c.kind === 'atom' ? c.text : '')).join(` ${op} `)
        : undefined;
      if (inline !== undefined && inline.length <= 100 && w.children.length <= 2) return `${comment(w.label)}(${inline})`;
      const inner = `${indent}${INDENT_STEP}`;
      const body = w.children.map((c) => renderWhere(c, inner)).join(`\n${inner}${op} `);
      return `${comment(w.label)}(\n${inner}${body}\n${indent})`;
    }
    default:
      return assertNever(w, 'where expression');
  }
}
