import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { and, exists, match, not, or, type Field, type Node } from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { ANY_RUN, exactPattern, globPattern, makePattern, literalPart } from '../../src/ir/pattern.js';
import { irTree } from '../support/arbitraries.js';

const fields: Field[] = [
  { name: 'a', type: 'keyword' },
  { name: 'b', type: 'keyword' },
  { name: 'c.d', type: 'keyword' },
];
const words = ['x', 'X', 'xy', 'y', ''];

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ f: fc.constantFrom(...fields), vs: fc.array(fc.constantFrom(...words, 'x*', '?y', '*'), { minLength: 1, maxLength: 3 }), ci: fc.boolean() })
    .map(({ f, vs, ci }) => match(f, vs.map(globPattern), ci)),
  fc.constantFrom(...fields).map((f) => exists(f)),
);

const tree = irTree(leaf);

const value = fc.oneof(fc.constantFrom(...words, 'xxy', 'Xy'), fc.constant(null), fc.array(fc.constantFrom(...words), { maxLength: 2 }));
const event = fc.record({ a: value, b: value, c: fc.oneof(fc.record({ d: value }), fc.constant(null)) }, { requiredKeys: [] });

describe('normalize', () => {
  it('keeps the meaning of random trees on random events', () => {
    fc.assert(
      fc.property(tree, fc.array(event, { minLength: 1, maxLength: 8 }), (t, events) => {
        const n = normalize(t);
        for (const e of events) expect(evaluate(n, e)).toBe(evaluate(t, e));
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(normalize(normalize(t))).toEqual(normalize(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('flattens, unwraps, dedupes and folds same-field ORs into one list', () => {
    const a = fields[0] as Field;
    const t = and([and([exists(a)]), or([match(a, [exactPattern('x')], true), match(a, [exactPattern('y'), exactPattern('x')], true)]), not(not(exists(a)))]);
    expect(normalize(t)).toEqual(and([exists(a), match(a, [exactPattern('x'), exactPattern('y')], true), exists(a)]));
  });

  it('keeps labelled groups', () => {
    const a = fields[0] as Field;
    const t = or([or([exists(a), match(a, [exactPattern('x')], false)], 'named'), exists(a)]);
    expect(normalize(t)).toEqual(t);
  });
});

describe('patterns', () => {
  it('normal form: merged literals, one anyRun per run, no empty literal', () => {
    expect(makePattern([literalPart('a'), literalPart(''), literalPart('b'), ANY_RUN, ANY_RUN])).toEqual([literalPart('ab'), ANY_RUN]);
    expect(globPattern('a**b')).toEqual(globPattern('a*b'));
  });
});
