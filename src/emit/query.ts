/**
 * IR queries as DSL expressions: `all`/`any`/`not`, `field('x')` (or `customField('x', 'type')`
 * off ECS, or when the rule gives an ECS field another type), one builder call per leaf, labels
 * as `.as('...')`. The mapping is the inverse of src/dsl: loading the emitted expression gives
 * back the same normalised IR, which test/emit checks. Some IR has no DSL spelling (a string
 * match on an ip field, a range with both an exclusive and an inclusive bound ...); `whyInexpressible`
 * says so before anything is printed.
 */
import { ecsFieldTypes } from '../schema/ecs-fields.generated.js';
import { assertNever, familyOf, isLeaf, type Field, type FieldFamily, type LeafNode, type MatchNode, type Node } from '../ir/nodes.js';
import { exactValue, hasLiteralGlobChars, isExact, renderPattern, type Pattern } from '../ir/pattern.js';
import { portableRegexProblem } from '../ir/regex.js';
import { parseCidr } from '../ir/cidr.js';
import { FIELD_NAME } from '../dsl/text-checks.js';
import { array, call, flat, method, str, text, type Doc } from './layout.js';
import { numberLiteral } from './literals.js';

/** Names the generated module imports from 'siemc'. */
export type DslName = 'all' | 'any' | 'not' | 'field' | 'customField' | 'pattern' | 'anyRun' | 'oneChar' | 'defineRule' | 'markdown';
export const DSL_NAMES: readonly DslName[] = ['all', 'any', 'not', 'field', 'customField', 'pattern', 'anyRun', 'oneChar', 'defineRule', 'markdown'];

/** A list argument of a leaf (values, patterns or networks), a candidate for a shared list module. */
export interface ValueList {
  /** Identity: the printed elements, so two lists share a module exactly when they read the same. */
  readonly key: string;
  readonly items: readonly Doc[];
  readonly field: Field;
  readonly label?: string;
  readonly kind: 'values' | 'patterns' | 'networks';
  /** DSL names the elements use (`pattern`, `anyRun`, `oneChar`). */
  readonly uses: ReadonlySet<DslName>;
}

export const fieldKey = (f: Field): string => `${f.name}\u0000${f.type}`;

function requireFamily(field: Field, families: readonly FieldFamily[], what: string): string | undefined {
  const family = familyOf(field.type);
  return families.includes(family) ? undefined : `${what} on ${field.name}, a ${field.type} field, has no DSL builder`;
}

function isEcsField(f: Field): boolean {
  return (ecsFieldTypes as Readonly<Record<string, string>>)[f.name] === f.type;
}

/** Text the DSL refuses (SIEMC-R017): a NUL, or a lone surrogate, which no UTF-8 file can hold. */
function badText(what: string, text: string): string | undefined {
  if (text.includes('\u0000')) return `${what} holds a NUL character, which the DSL refuses (SIEMC-R017)`;
  if (/\p{Surrogate}/u.test(text)) return `${what} holds a lone surrogate, which the DSL refuses (SIEMC-R017)`;
  return undefined;
}

/** Why a query cannot be written in the DSL with the same IR, or undefined when it can. */
export function whyInexpressible(node: Node): string | undefined {
  if (node.label !== undefined) {
    const why = badText(`the label ${JSON.stringify(node.label)}`, node.label);
    if (why !== undefined) return why;
  }
  if (isLeaf(node) && !isEcsField(node.field) && !FIELD_NAME.test(node.field.name)) {
    return `the field name ${JSON.stringify(node.field.name)} is outside the grammar customField() accepts (SIEMC-R018)`;
  }
  if (!isLeaf(node)) {
    switch (node.kind) {
      case 'and':
      case 'or':
        if (node.children.length === 0) return `an empty ${node.kind === 'and' ? 'all()' : 'any()'} (constant ${node.kind === 'and'}) has no DSL spelling`;
        for (const c of node.children) {
          const why = whyInexpressible(c);
          if (why !== undefined) return why;
        }
        return undefined;
      case 'not':
        return whyInexpressible(node.child);
      default:
        return assertNever(node, 'IR group');
    }
  }
  switch (node.kind) {
    case 'match': {
      if (node.patterns.length === 0) return `a match on ${node.field.name} with no patterns`;
      for (const p of node.patterns) {
        for (const part of p) {
          const why = part.kind === 'literal' ? badText(`a value for ${node.field.name}`, part.text) : undefined;
          if (why !== undefined) return why;
        }
      }
      return requireFamily(node.field, ['string', 'ip'], 'a string match');
    }
    case 'regex': {
      const bad = badText(`the regular expression for ${node.field.name}`, node.regex);
      if (bad !== undefined) return bad;
      const problem = portableRegexProblem(node.regex);
      if (problem !== undefined) return `the regular expression on ${node.field.name} is outside the portable subset: ${problem}`;
      return requireFamily(node.field, ['string', 'ip'], 'a regular expression');
    }
    case 'exists':
      return undefined;
    case 'equals':
      if (typeof node.value === 'boolean') return requireFamily(node.field, ['boolean'], 'a boolean comparison');
      if (!Number.isFinite(node.value)) return `${node.value} on ${node.field.name} is not a finite number`;
      return requireFamily(node.field, ['number'], 'a numeric comparison');
    case 'range': {
      const bounds = rangeBounds(node);
      if (bounds.some((b) => !Number.isFinite(b[1]))) return `a range on ${node.field.name} with a bound that is not a finite number`;
      const names = bounds.map((b) => b[0]).join('+');
      if (!(bounds.length === 1 || (names === 'gte+lte' && (node.gte as number) <= (node.lte as number)))) {
        return `a range on ${node.field.name} with bounds ${names === '' ? '(none)' : names} has no DSL builder (one bound, or between() for gte <= lte)`;
      }
      return requireFamily(node.field, ['number'], 'a numeric range');
    }
    case 'cidr': {
      if (node.cidrs.length === 0) return `a CIDR test on ${node.field.name} with no networks`;
      const bad = node.cidrs.find((c) => parseCidr(c) === undefined);
      if (bad !== undefined) return `"${bad}" on ${node.field.name} is not a CIDR network`;
      return requireFamily(node.field, ['ip', 'string'], 'a CIDR test');
    }
    default:
      return assertNever(node, 'IR leaf');
  }
}

type Bound = readonly ['gt' | 'gte' | 'lt' | 'lte', number];

function rangeBounds(node: Extract<LeafNode, { kind: 'range' }>): Bound[] {
  const out: Bound[] = [];
  for (const k of ['gt', 'gte', 'lt', 'lte'] as const) {
    const v = node[k];
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}

/** `field('x')` when the IR's type is ECS's, else `customField('x', 'type')`. */
export function fieldExpression(f: Field, uses: Set<DslName>): Doc {
  if (isEcsField(f)) {
    uses.add('field');
    return call('field', str(f.name));
  }
  uses.add('customField');
  return call('customField', str(f.name), str(f.type));
}

function patternElement(p: Pattern, uses: Set<DslName>): Doc {
  if (!hasLiteralGlobChars(p)) return str(renderPattern(p, { anyRun: '*', oneChar: '?', literal: (t) => t }));
  // A literal `*` or `?` cannot be written in glob text: spell the parts out.
  uses.add('pattern');
  const parts = p.map((part): Doc => {
    if (part.kind === 'literal') return str(part.text);
    const name = part.kind === 'anyRun' ? 'anyRun' : 'oneChar';
    uses.add(name);
    return text(name);
  });
  return call('pattern', ...parts);
}

/** The leaf's builder method and its argument elements (a single element is written without brackets). */
interface LeafCall {
  readonly method: string;
  readonly elements?: { readonly items: readonly Doc[]; readonly kind: ValueList['kind']; readonly single: string; readonly uses: ReadonlySet<DslName> };
  readonly args?: readonly Doc[];
}

function matchCall(node: MatchNode): LeafCall {
  const uses = new Set<DslName>();
  const ci = node.caseInsensitive;
  if (node.patterns.every(isExact)) {
    const items = node.patterns.map((p) => str(exactValue(p)));
    return {
      method: items.length === 1 ? (ci ? 'equalsIgnoreCase' : 'equals') : ci ? 'inIgnoreCase' : 'in',
      elements: { items, kind: 'values', single: ci ? 'equalsIgnoreCase' : 'equals', uses },
    };
  }
  const items = node.patterns.map((p) => patternElement(p, uses));
  const m = ci ? 'likeIgnoreCase' : 'like';
  return { method: m, elements: { items, kind: 'patterns', single: m, uses } };
}

function leafCall(node: LeafNode): LeafCall {
  switch (node.kind) {
    case 'match':
      return matchCall(node);
    case 'regex':
      return { method: node.caseInsensitive ? 'matchesIgnoreCase' : 'matches', args: [str(node.regex)] };
    case 'exists':
      return { method: 'exists', args: [] };
    case 'equals':
      if (typeof node.value === 'boolean') return { method: node.value ? 'isTrue' : 'isFalse', args: [] };
      return { method: 'equals', args: [text(numberLiteral(node.value))] };
    case 'range': {
      const bounds = rangeBounds(node);
      if (bounds.length === 2) return { method: 'between', args: bounds.map((b) => text(numberLiteral(b[1]))) };
      const [only] = bounds;
      if (only === undefined) throw new Error('range without bounds');
      return { method: only[0], args: [text(numberLiteral(only[1]))] };
    }
    case 'cidr':
      return { method: 'inCidr', elements: { items: node.cidrs.map(str), kind: 'networks', single: 'inCidr', uses: new Set() } };
    default:
      return assertNever(node, 'IR leaf');
  }
}

/** Every list argument of two or more elements in the query, in source order. */
export function valueLists(node: Node): ValueList[] {
  const out: ValueList[] = [];
  const walk = (n: Node): void => {
    if (isLeaf(n)) {
      const c = leafCall(n);
      if (c.elements !== undefined && c.elements.items.length > 1) {
        out.push({
          key: `${c.elements.kind === 'networks' ? 'n' : 's'}:${c.elements.items.map(flat).join('\n')}`,
          items: c.elements.items,
          field: n.field,
          ...(n.label === undefined ? {} : { label: n.label }),
          kind: c.elements.kind,
          uses: c.elements.uses,
        });
      }
      return;
    }
    if (n.kind === 'not') walk(n.child);
    else for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}

export interface QueryNames {
  /** The expression naming a field: a module constant, or `field('x')`. */
  readonly fieldRef: (f: Field) => Doc;
  /** The imported list for a list key, when it is shared. */
  readonly listRef: (key: string) => string | undefined;
  readonly uses: Set<DslName>;
}

/**
 * The field view a leaf needs when its field's type has no builder for it: text matching on an
 * `ip` field (`.asText()`), a CIDR test on a string field (`.asAddress()`). The IR keeps the
 * field's own type either way, which is what the importers gave.
 */
function viewOf(node: LeafNode): 'asText' | 'asAddress' | undefined {
  const family = familyOf(node.field.type);
  if ((node.kind === 'match' || node.kind === 'regex') && family === 'ip') return 'asText';
  if (node.kind === 'cidr' && family === 'string') return 'asAddress';
  return undefined;
}

/** The DSL expression of a query that `whyInexpressible` accepted. */
export function queryExpression(node: Node, names: QueryNames): Doc {
  const labelled = (doc: Doc): Doc => (node.label === undefined ? doc : method(doc, 'as', str(node.label)));
  if (isLeaf(node)) {
    const c = leafCall(node);
    const view = viewOf(node);
    const receiver = view === undefined ? names.fieldRef(node.field) : method(names.fieldRef(node.field), view);
    if (c.elements === undefined) return labelled(method(receiver, c.method, ...(c.args ?? [])));
    for (const u of c.elements.uses) names.uses.add(u);
    const { items } = c.elements;
    if (items.length === 1) return labelled(method(receiver, c.elements.single, items[0] as Doc));
    const key = valueLists(node)[0]?.key;
    const shared = key === undefined ? undefined : names.listRef(key);
    return labelled(method(receiver, c.method, shared === undefined ? array(items) : text(shared)));
  }
  switch (node.kind) {
    case 'and':
    case 'or': {
      const name = node.kind === 'and' ? 'all' : 'any';
      names.uses.add(name);
      return labelled(call(name, ...node.children.map((c) => queryExpression(c, names))));
    }
    case 'not':
      names.uses.add('not');
      return labelled(call('not', queryExpression(node.child, names)));
    default:
      return assertNever(node, 'IR group');
  }
}

/** How many leaves name each field (by name and type), to decide which get a module constant. */
export function fieldUses(node: Node, out = new Map<string, { field: Field; count: number }>()): Map<string, { field: Field; count: number }> {
  if (isLeaf(node)) {
    const key = fieldKey(node.field);
    const entry = out.get(key);
    if (entry === undefined) out.set(key, { field: node.field, count: 1 });
    else entry.count++;
  } else if (node.kind === 'not') fieldUses(node.child, out);
  else for (const c of node.children) fieldUses(c, out);
  return out;
}
