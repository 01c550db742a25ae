import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { fold, leavesOf, mapLeaves, visit } from '../../src/ir/fold.js';
import { and, exists, isLeaf, match, not, or, type Field, type Node } from '../../src/ir/nodes.js';
import { globPattern } from '../../src/ir/pattern.js';
import { irTree } from '../support/arbitraries.js';

const fields: Field[] = [
  { name: 'a', type: 'keyword' },
  { name: 'b', type: 'keyword' },
];

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ f: fc.constantFrom(...fields), vs: fc.array(fc.constantFrom('x', 'X', 'x*', ''), { minLength: 1, maxLength: 3 }), ci: fc.boolean() })
    .map(({ f, vs, ci }) => match(f, vs.map(globPattern), ci)),
  fc.constantFrom(...fields).map((f) => exists(f)),
);

const tree = irTree(leaf);

const event = fc.record({ a: fc.constantFrom('x', 'X', 'xy', ''), b: fc.constantFrom('x', 'X') }, { requiredKeys: [] });

describe('the IR fold', () => {
  it('folding into booleans is the evaluator', () => {
    fc.assert(
      fc.property(tree, event, (t, e) => {
        const folded = fold<boolean>(t, {
          and: (_, cs) => cs.every(Boolean),
          or: (_, cs) => cs.some(Boolean),
          not: (_, c) => !c,
          leaf: (l) => evaluate(l, e),
        });
        expect(folded).toBe(evaluate(t, e));
      }),
    );
  });

  it('mapLeaves with the identity rebuilds an equal tree, labels kept', () => {
    const t = and([or([match(fields[0] as Field, [globPattern('x')], false)], 'named'), not(exists(fields[1] as Field))]);
    expect(mapLeaves(t, (l) => l)).toEqual(t);
    fc.assert(
      fc.property(tree, (t2) => {
        expect(mapLeaves(t2, (l) => l)).toEqual(t2);
      }),
    );
  });

  it('visit sees every occurrence with its parent context; leavesOf lists leaves left to right', () => {
    const x = exists(fields[0] as Field);
    const y = exists(fields[1] as Field);
    const t = and([x, not(or([y, x]))]);
    const depths: [Node, number][] = [];
    visit(t, 0, (n, depth) => {
      if (isLeaf(n)) depths.push([n, depth]);
      return depth + 1;
    });
    expect(depths).toEqual([[x, 1], [y, 3], [x, 3]]);
    expect(leavesOf(t)).toEqual([x, y, x]);
  });
});
