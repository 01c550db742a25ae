/**
 * The reference evaluator: the executable form of docs/semantics.md. Every backend's output
 * is judged against what this function says an event should do.
 */
import { assertNever, isLeaf, type LeafNode, type Node } from '../ir/nodes.js';
import { foldAsciiCase } from '../ir/regex.js';
import { cidrContains } from '../ir/cidr.js';
import { anyGlobMatches } from './glob.js';
import { asBoolean, asKeyword, asNumber, fieldValues, type Json } from './values.js';

export function evaluate(node: Node, event: Json): boolean {
  // A leaf is true when at least one of the field's values satisfies it; no values, no match.
  if (isLeaf(node)) return fieldValues(event, node.field.name).some((v) => leafHolds(node, v));
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluate(c, event));
    case 'or':
      return node.children.some((c) => evaluate(c, event));
    case 'not':
      return !evaluate(node.child, event);
    default:
      return assertNever(node, 'IR group');
  }
}

function leafHolds(node: LeafNode, value: string | number | boolean): boolean {
  switch (node.kind) {
    case 'match': {
      const text = asKeyword(value);
      return anyGlobMatches(node.patterns, text, node.caseInsensitive);
    }
    case 'exists':
      return true;
    case 'equals':
      return typeof node.value === 'boolean' ? asBoolean(value) === node.value : asNumber(value) === node.value;
    case 'range': {
      const n = asNumber(value);
      if (n === undefined) return false;
      return (
        (node.gt === undefined || n > node.gt) &&
        (node.gte === undefined || n >= node.gte) &&
        (node.lt === undefined || n < node.lt) &&
        (node.lte === undefined || n <= node.lte)
      );
    }
    case 'cidr':
      return node.cidrs.some((c) => cidrContains(c, asKeyword(value)));
    case 'regex':
      return wholeValueRegex(node.regex, node.caseInsensitive).test(asKeyword(value));
    default:
      return assertNever(node, 'IR leaf');
  }
}

const regexCache = new Map<string, RegExp>();

/** IR regexes match the whole value, `.` matches newlines too, and ignoring case folds ASCII letters only. */
export function wholeValueRegex(source: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}:${source}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    re = new RegExp(`^(?:${caseInsensitive ? foldAsciiCase(source) : source})$`, 'su');
    regexCache.set(key, re);
  }
  return re;
}
