/**
 * The `detection` section: named selections (a map's entries are AND-ed, a list value is
 * OR-ed) and a condition over their names.
 *
 * The usual rule shape `all(positive..., not(any(exclusion...)))` becomes the Sigma idiom
 * `selection and not 1 of filter_*`: positive leaves share one `selection` map, and each
 * exclusion becomes a `filter_<label>` selection. Any other tree still compiles: subtrees that
 * fit in one map become selections named after their labels or fields, and the condition
 * carries the rest of the boolean structure (`and`, `or`, `not`, `1 of group_*`).
 */
import { cidrOnNonIp, ipv4MappedCidr, rangeBounds, splitRange } from '../common.js';
import { assertNever, isLeaf, type LeafNode, type Node, type NotNode } from '../../ir/nodes.js';
import type { Approximation } from '../backend.js';
import { irRegexToSigma } from './regex.js';
import { foldAsciiCase } from '../../ir/regex.js';
import { caseMatters, type Pattern } from '../../ir/pattern.js';
import { charsFoldingBeyondAscii, identifier, sigmaKey, sigmaValue } from './strings.js';

/** A value as written in YAML: Sigma text (already escaped), a number, a boolean, null (Sigma's "absent or null"), or a list of texts. */
export type Value = string | number | boolean | null | readonly string[];

export interface Entry {
  readonly key: string;
  readonly value: Value;
  /** A YAML comment written above the entry (the label of the clause it renders); `\n` separates lines. */
  readonly comment?: string;
}

export interface Selection {
  readonly name: string;
  readonly entries: readonly Entry[];
  /** A YAML comment written above the selection (the label of the group it starts). */
  readonly comment?: string;
}

export interface Detection {
  readonly selections: readonly Selection[];
  readonly condition: string;
}

export interface DetectionContext {
  /** The output name of an ECS field. */
  readonly field: (ecs: string) => string;
  readonly approximate: (a: Approximation) => void;
  /** A case-insensitive clause whose k, s or i Unicode would also fold with a non-ASCII letter. */
  readonly noteAsciiFolding: (node: Node) => void;
  /**
   * Portable output (src/backends/sigma/portable.ts): no `|cased`, case-sensitive matches are
   * written ignoring case (SIEMC-A310); exists checks arrive rewritten as null tests.
   */
  readonly portable?: boolean;
  /** Exists leaves that stand for Sigma's null test, `f: null`. */
  readonly isNullCheck?: (node: Node) => boolean;
  /**
   * SigmaHQ's idiom: values that are all `x*`, all `*x` or all `*x*` (no other wildcard) are
   * written `|startswith`, `|endswith`, `|contains`, which mean the same (pySigma's validators
   * flag the wildcard forms).
   */
  readonly wildcardModifiers?: boolean;
}

/** The modifier and the patterns without their edge wildcards, when every pattern has one shape. */
function wildcardModifier(patterns: readonly Pattern[]): { modifier: string; patterns: Pattern[] } | undefined {
  const shape = (p: Pattern): string | undefined => {
    const lead = p[0]?.kind === 'anyRun';
    const trail = p.length > 1 && p[p.length - 1]?.kind === 'anyRun';
    const inner = p.slice(lead ? 1 : 0, trail ? -1 : undefined);
    if (inner.length === 0 || inner.some((part) => part.kind !== 'literal')) return undefined;
    return lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : undefined;
  };
  const first = patterns[0] === undefined ? undefined : shape(patterns[0]);
  if (first === undefined || !patterns.every((p) => shape(p) === first)) return undefined;
  const trimmed = patterns.map((p) => p.slice(first === 'startswith' ? 0 : 1, first === 'endswith' ? undefined : -1));
  return { modifier: first, patterns: trimmed };
}

/** A condition fragment and how tightly it binds: 0 `or`, 1 `and`, 2 `not`, names and `1 of`. */
interface Expr {
  readonly text: string;
  readonly prec: 0 | 1 | 2;
}

export function buildDetection(query: Node, context: DetectionContext): Detection {
  return new DetectionBuilder(context).build(query);
}

class DetectionBuilder {
  private readonly selections: Selection[] = [];
  private readonly used = new Set<string>();
  private readonly leafEntryCache = new Map<LeafNode, readonly Entry[]>();
  /** `1 of group_*` placeholders, checked once every name is known. */
  private readonly groups: { readonly token: string; readonly group: string; readonly members: readonly string[] }[] = [];

  constructor(private readonly context: DetectionContext) {}

  build(query: Node): Detection {
    const conjuncts = query.kind === 'and' ? query.children : [query];
    const positives = conjuncts.filter((c) => c.kind !== 'not');
    const negatives = conjuncts.filter((c): c is NotNode => c.kind === 'not');
    const parts: string[] = [];

    // Positive leaves share one map; a leaf whose key is already taken, and every compound
    // conjunct, gets selections of its own.
    const main: Entry[] = [];
    const others: Node[] = [];
    for (const c of positives) {
      const entries = isLeaf(c) ? this.leafEntries(c) : undefined;
      if (entries !== undefined && entries.every((e) => !main.some((m) => m.key === e.key))) main.push(...entries);
      else others.push(c);
    }
    if (main.length > 0) parts.push(this.add('selection', main));
    const alone = conjuncts.length === 1;
    for (const c of others) parts.push(alone ? this.expr(c, 'selection').text : wrap(this.expr(c, 'selection'), 1));

    // Exclusions: every disjunct of every negated conjunct, when each fits in one map, is a
    // `filter_*` selection and the whole lot is `not 1 of filter_*` (not a or not b = not (a or b)).
    const disjuncts = negatives.flatMap((n) => {
      const members = n.child.kind === 'or' ? n.child.children : [n.child];
      const groupLabel = n.label ?? (n.child.kind === 'or' ? n.child.label : undefined);
      return members.map((d, i) => ({ node: d, comment: i === 0 ? groupLabel : undefined }));
    });
    if (disjuncts.length > 0 && disjuncts.every((d) => this.mapEntries(d.node) !== undefined)) {
      const names = disjuncts.map((d) =>
        this.add(`filter_${this.slug(d.node)}`, this.mapEntries(d.node) ?? [], d.comment),
      );
      parts.push(names.length === 1 ? `not ${names[0] as string}` : `not ${this.oneOf('filter', names)}`);
    } else {
      for (const n of negatives) parts.push(alone ? this.expr(n, 'filter').text : wrap(this.expr(n, 'filter'), 1));
    }

    let condition = parts.join(' and ');
    for (const g of this.groups) condition = condition.replace(g.token, this.resolveGroup(g.group, g.members));
    return { selections: this.selections, condition };
  }

  /** Names a map and records it; returns the name. */
  private add(base: string, entries: readonly Entry[], comment?: string): string {
    // Numbered without a `_`, so `x2` never falls under another group's `x_*`.
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}${k}`;
    this.used.add(name);
    this.selections.push({ name, entries, ...(comment === undefined ? {} : { comment }) });
    return name;
  }

  /** A placeholder for `1 of group_*`, resolved at the end (the glob must match exactly `members`). */
  private oneOf(group: string, members: readonly string[]): string {
    const token = `\u0000${this.groups.length}\u0000`;
    this.groups.push({ token, group, members });
    return token;
  }

  private resolveGroup(group: string, members: readonly string[]): string {
    const matched = this.selections.map((s) => s.name).filter((n) => n.startsWith(`${group}_`));
    const exact = matched.length === members.length && members.every((m) => matched.includes(m));
    return exact ? `1 of ${group}_*` : `(${members.join(' or ')})`;
  }

  /** The general case: selections for every subtree that fits in one map, boolean structure in the condition. */
  private expr(node: Node, prefix: string): Expr {
    const entries = this.mapEntries(node);
    if (entries !== undefined) return { text: this.add(`${prefix}_${this.slug(node)}`, entries), prec: 2 };
    // Leaves always fit in a map; this is unreachable.
    if (isLeaf(node)) return { text: this.add(`${prefix}_${this.slug(node)}`, this.leafEntries(node)), prec: 2 };
    switch (node.kind) {
      case 'and':
        return { text: node.children.map((c) => wrap(this.expr(c, prefix), 1)).join(' and '), prec: 1 };
      case 'or': {
        if (node.children.every((c) => this.mapEntries(c) !== undefined)) {
          let group = `${prefix}_${this.slug(node)}`;
          for (let k = 2; [...this.used].some((n) => n === group || n.startsWith(`${group}_`)); k++) group = `${prefix}_${this.slug(node)}${k}`;
          this.used.add(group);
          const names = node.children.map((c) => this.add(`${group}_${this.slug(c)}`, this.mapEntries(c) ?? []));
          return { text: this.oneOf(group, names), prec: 2 };
        }
        // Groups inside an `or` are parenthesised even where precedence would do, for readers.
        return { text: node.children.map((c) => wrap(this.expr(c, prefix), 2)).join(' or '), prec: 0 };
      }
      case 'not':
        return { text: `not ${wrap(this.expr(node.child, prefix), 2)}`, prec: 2 };
      default:
        return assertNever(node, 'IR group');
    }
  }

  /** The entries of one map when the node fits in one: a leaf, or an `and` of leaves with distinct keys. */
  private mapEntries(node: Node): readonly Entry[] | undefined {
    if (isLeaf(node)) return this.leafEntries(node);
    if (node.kind !== 'and' || !node.children.every(isLeaf)) return undefined;
    const entries = node.children.flatMap((c) => this.leafEntries(c as LeafNode));
    const keys = new Set(entries.map((e) => e.key));
    return keys.size === entries.length ? entries : undefined;
  }

  /** A name fragment: the label, else the field (`user_id`), else the first child's. */
  private slug(node: Node): string {
    const fromLabel = node.label === undefined ? '' : identifier(node.label);
    if (fromLabel !== '') return fromLabel;
    if (isLeaf(node)) {
      const name = identifier(this.context.field(node.field.name)) || 'field';
      return this.context.isNullCheck?.(node) === true ? `no_${name}` : name;
    }
    if (node.kind === 'not') return `not_${this.slug(node.child)}`;
    const first = node.children[0];
    return first === undefined ? node.kind : this.slug(first);
  }

  private leafEntries(node: LeafNode): readonly Entry[] {
    let entries = this.leafEntryCache.get(node);
    if (entries === undefined) {
      entries = this.renderLeaf(node);
      this.leafEntryCache.set(node, entries);
    }
    return entries;
  }

  private renderLeaf(node: LeafNode): readonly Entry[] {
    const f = this.context.field(node.field.name);
    if (f.includes('|')) {
      this.context.approximate({
        code: 'SIEMC-A305',
        message: `Sigma reads "|" in a detection key as a modifier separator, so field "${f}" cannot be named`,
        node,
        direction: 'not expressible',
      });
    }
    const comment = node.label === undefined ? {} : { comment: node.label };
    const one = (key: string, value: Value): Entry[] => [{ key, value, ...comment }];
    switch (node.kind) {
      case 'match': {
        const ignoreCase = node.caseInsensitive || this.context.portable === true;
        if (ignoreCase && !node.caseInsensitive && node.patterns.some(caseMatters)) {
          this.context.approximate({
            code: 'SIEMC-A310',
            message: `portable Sigma has no \`|cased\` (pySigma's Splunk and Lucene backends refuse it): "${f}" is matched ignoring case, so values that differ from the rule's only in case match too`,
            node,
            direction: 'widened',
          });
        }
        const beyondAscii = ignoreCase ? charsFoldingBeyondAscii(node.patterns) : [];
        const nonAscii = beyondAscii.filter((c) => (c.codePointAt(0) ?? 0) >= 0x80);
        if (nonAscii.length > 0) {
          this.context.approximate({
            code: 'SIEMC-A303',
            message: `Sigma ignores case over all of Unicode, the IR over ASCII letters only: ${nonAscii.map((c) => JSON.stringify(c)).join(', ')} also match their other case`,
            node,
            direction: 'widened',
          });
        }
        // k, s, i also fold with the Kelvin sign, the long s and the dotless i: nearly every value
        // has one, so this is said once per rule (SIEMC-A306) rather than for every clause.
        if (beyondAscii.length > nonAscii.length) this.context.noteAsciiFolding(node);
        const idiom = this.context.wildcardModifiers === true ? wildcardModifier(node.patterns) : undefined;
        const values = (idiom?.patterns ?? node.patterns).map(sigmaValue);
        const modifiers = [...(idiom === undefined ? [] : [idiom.modifier]), ...(ignoreCase ? [] : ['cased'])];
        return one(sigmaKey(f, modifiers), values.length === 1 ? (values[0] as string) : values);
      }
      case 'exists':
        return this.context.isNullCheck?.(node) === true ? one(f, null) : one(sigmaKey(f, ['exists']), true);
      case 'equals':
        return one(f, node.value);
      case 'range': {
        const split = splitRange(node, 'SIEMC-A308');
        if (split !== undefined) this.context.approximate(split);
        const entries: Entry[] = rangeBounds(node).map(([op, bound]) => ({ key: sigmaKey(f, [op]), value: bound, ...comment }));
        if (entries.length > 0) return entries;
        // No bound: "has a numeric value". Sigma cannot test a value's type.
        this.context.approximate({
          code: 'SIEMC-A304',
          message: 'a range without bounds (any numeric value) is written as `|exists`, which also accepts non-numeric values',
          node,
          direction: 'widened',
        });
        return one(sigmaKey(f, ['exists']), true);
      }
      case 'cidr': {
        for (const a of [cidrOnNonIp(node, 'SIEMC-A309'), ipv4MappedCidr(node, 'SIEMC-A307')]) if (a !== undefined) this.context.approximate(a);
        return one(sigmaKey(f, ['cidr']), node.cidrs.length === 1 ? (node.cidrs[0] as string) : [...node.cidrs]);
      }
      case 'regex': {
        // Case is written out as `[aA]` classes and matched case-sensitively: `|i` would fold all of Unicode.
        const re = irRegexToSigma(node.caseInsensitive ? foldAsciiCase(node.regex) : node.regex);
        this.context.approximate({
          code: 'SIEMC-A301',
          message: 'Sigma regexes are PCRE: the `$` of `^(?:...)$` also matches before a final newline, so a value ending in "\\n" can match',
          node,
          direction: 'widened',
        });
        for (const issue of re.issues) {
          this.context.approximate({
            code: 'SIEMC-A302',
            message: `the regex uses ${issue}, which PCRE reads differently`,
            node,
            direction: 'not expressible',
          });
        }
        const modifiers = ['re', ...(re.dotAll ? ['s'] : [])];
        // The folded form is hard to read, so the regex as written goes in a comment.
        const lines = [node.label, node.caseInsensitive ? `ignoring ASCII case: ${node.regex}` : undefined].filter((l) => l !== undefined);
        return [{ key: sigmaKey(f, modifiers), value: re.text, ...(lines.length > 0 ? { comment: lines.join('\n') } : {}) }];
      }
      default:
        return assertNever(node, 'IR leaf');
    }
  }
}

function wrap(e: Expr, minPrec: 0 | 1 | 2): string {
  return e.prec < minPrec ? `(${e.text})` : e.text;
}
