/**
 * IR nodes written back in the rule author's terms: the DSL operator a leaf would be written with
 * (`likeIgnoreCase`, `in`, `gte`...) and values as globs, so a change reads like the source edit.
 */
import { assertNever, isLeaf, type LeafNode, type MatchNode, type Node } from '../ir/nodes.js';
import { isExact, type Pattern } from '../ir/pattern.js';

/** A pattern as the glob a rule author writes; a literal `*` or `?` is shown as `\*`, `\?`. */
export function patternText(pattern: Pattern): string {
  return pattern.map((p) => (p.kind === 'literal' ? p.text.replace(/[*?]/g, (c) => `\\${c}`) : p.kind === 'anyRun' ? '*' : '?')).join('');
}

export const quote = (text: string): string => JSON.stringify(text);

/** The DSL method a match leaf reads as: exact values or globs, with or without case. */
export function matchOperator(leaf: Pick<MatchNode, 'patterns' | 'caseInsensitive'>): string {
  const exact = leaf.patterns.every(isExact);
  const many = leaf.patterns.length !== 1;
  if (exact) return leaf.caseInsensitive ? (many ? 'inIgnoreCase' : 'equalsIgnoreCase') : many ? 'in' : 'equals';
  return leaf.caseInsensitive ? 'likeIgnoreCase' : 'like';
}

/** A list of values, at most `max` of them shown. */
export function valueList(values: readonly string[], max = 4): string {
  const shown = values.slice(0, max).map(quote);
  const rest = values.length - shown.length;
  return rest > 0 ? `[${shown.join(', ')}, … ${rest} more]` : values.length === 1 ? (shown[0] as string) : `[${shown.join(', ')}]`;
}

function rangeText(leaf: Extract<LeafNode, { kind: 'range' }>): string {
  const bounds: string[] = [];
  if (leaf.gt !== undefined) bounds.push(`> ${leaf.gt}`);
  if (leaf.gte !== undefined) bounds.push(`>= ${leaf.gte}`);
  if (leaf.lt !== undefined) bounds.push(`< ${leaf.lt}`);
  if (leaf.lte !== undefined) bounds.push(`<= ${leaf.lte}`);
  return bounds.join(' and ');
}

/** What a leaf tests, without its field: `likeIgnoreCase ["a", "b"]`, `>= 5`, `exists`. */
export function leafTest(leaf: LeafNode, maxValues = 4): string {
  switch (leaf.kind) {
    case 'match':
      return `${matchOperator(leaf)} ${valueList(leaf.patterns.map(patternText), maxValues)}`;
    case 'exists':
      return 'exists';
    case 'equals':
      return typeof leaf.value === 'boolean' ? (leaf.value ? 'isTrue' : 'isFalse') : `equals ${leaf.value}`;
    case 'range':
      return rangeText(leaf);
    case 'cidr':
      return `inCidr ${valueList(leaf.cidrs, maxValues)}`;
    case 'regex':
      return `${leaf.caseInsensitive ? 'matchesIgnoreCase' : 'matches'} /${leaf.regex}/`;
    default:
      return assertNever(leaf, 'IR leaf');
  }
}

export function leafText(leaf: LeafNode, maxValues = 4): string {
  return `${leaf.field.name} ${leafTest(leaf, maxValues)}`;
}

const GROUP_WORD = { and: 'all', or: 'any', not: 'not' } as const;

/** A node in one line of at most about `max` characters: `"Discord App" all(process.name likeIgnoreCase "Discord.exe", …)`. */
export function nodeText(node: Node, max = 160): string {
  const label = node.label === undefined ? '' : `${quote(node.label)} `;
  if (isLeaf(node)) return `${label}${leafText(node)}`;
  const children = node.kind === 'not' ? [node.child] : node.children;
  let inner = '';
  for (const [i, child] of children.entries()) {
    const next = `${i === 0 ? '' : ', '}${nodeText(child, Math.max(40, max - inner.length))}`;
    if (label.length + inner.length + next.length > max) {
      inner += `${i === 0 ? '' : ', '}… ${children.length - i} more`;
      break;
    }
    inner += next;
  }
  return `${label}${GROUP_WORD[node.kind]}(${inner})`;
}
