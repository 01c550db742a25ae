/**
 * The fallback when a comparison cannot be decided: events built from values derived from the
 * leaves (pattern instances in both cases, bounds and their neighbours, network addresses)
 * and random choices among them. A difference found here is real (the evaluator says so); no
 * difference found proves nothing, and the caller reports it that way.
 */
import { evaluate } from '../eval/evaluate.js';
import type { Json, Scalar } from '../eval/values.js';
import { leavesOf } from '../ir/fold.js';
import { assertNever, type LeafNode, type Node } from '../ir/nodes.js';
import type { Pattern } from '../ir/pattern.js';
import { buildEvent } from './events.js';
import { ipRepresentatives, nextUp, numericValue } from './intervals.js';
import { leafLanguage, pickWord } from './languages.js';
import { seededRandom } from '../util/random.js';


function instances(pattern: Pattern, run: string, one: string): string {
  return pattern.map((p) => (p.kind === 'literal' ? p.text : p.kind === 'anyRun' ? run : one)).join('');
}

/** Values that sit on or next to the edges of a leaf. */
export function derivedValues(leaf: LeafNode): Scalar[] {
  switch (leaf.kind) {
    case 'match':
      return leaf.patterns.flatMap((p) => {
        const texts = [instances(p, '', 'x'), instances(p, 'x', 'Y'), instances(p, 'é.', '\n')];
        return texts.flatMap((t) => [t, t.toUpperCase(), t.toLowerCase()]);
      });
    case 'regex': {
      try {
        const word = pickWord(leafLanguage(leaf));
        return word === undefined ? [] : [word, word.toUpperCase(), word.toLowerCase()];
      } catch {
        return [];
      }
    }
    case 'exists':
      return [];
    case 'equals':
      return typeof leaf.value === 'boolean' ? [leaf.value, String(leaf.value), ''] : [leaf.value, String(leaf.value), nextUp(leaf.value)];
    case 'range':
      return [leaf.gt, leaf.gte, leaf.lt, leaf.lte].flatMap((b) => (b === undefined ? [] : [b, b - 1, b + 1, nextUp(b)].map(numericValue)));
    case 'cidr':
      return ipRepresentatives([leaf]);
    default:
      return assertNever(leaf, 'IR leaf');
  }
}

export interface RandomDifferences {
  readonly tried: number;
  readonly onlyBefore: readonly Json[];
  readonly onlyAfter: readonly Json[];
}

export function randomDifferences(before: Node, after: Node, events: number, maxWitnesses: number): RandomDifferences {
  const candidates = new Map<string, Scalar[]>();
  for (const leaf of [...leavesOf(before), ...leavesOf(after)]) {
    const list = candidates.get(leaf.field.name) ?? ['', 'x'];
    for (const v of derivedValues(leaf)) if (!list.includes(v)) list.push(v);
    candidates.set(leaf.field.name, list);
  }
  const random = seededRandom(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const onlyBefore: Json[] = [];
  const onlyAfter: Json[] = [];
  for (let i = 0; i < events; i++) {
    const values = new Map<string, Scalar[]>();
    for (const [field, list] of candidates) {
      const r = random();
      if (r < 0.35) continue;
      values.set(field, r < 0.8 ? [pick(list)] : [pick(list), pick(list)]);
    }
    const event = buildEvent(values);
    const b = evaluate(before, event);
    const a = evaluate(after, event);
    if (b && !a && onlyBefore.length < maxWitnesses) onlyBefore.push(event);
    if (a && !b && onlyAfter.length < maxWitnesses) onlyAfter.push(event);
  }
  return { tried: events, onlyBefore, onlyAfter };
}
