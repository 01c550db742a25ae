/** Generated test events: evaluator-confirmed, a match and a near miss per top-level clause. */
import { describe, expect, it } from 'vitest';
import { and, equals, exists, match, not, or, range, regex, type Field } from '../../src/ir/nodes.js';
import { exactPattern, globPattern } from '../../src/ir/pattern.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { firstWitnesses } from '../../src/semantic/compare.js';
import { generateTests } from '../../src/emit/test-events.js';

const f = (name: string, type: Field['type'] = 'keyword'): Field => ({ name, type });

describe('generateTests', () => {
  it('gives a matching event and, per clause, an event that fails only that clause', () => {
    const clauses = [
      match(f('event.category'), [exactPattern('process')], false),
      match(f('process.name'), [globPattern('*.exe')], true, 'an executable'),
      not(match(f('user.id'), [exactPattern('S-1-5-18')], false)),
      range(f('process.pid', 'long'), { gt: 4 }),
    ];
    const query = and(clauses);
    const tests = generateTests(query);
    expect(tests.map((t) => [t.name, t.expect])).toEqual([
      ['generated: matches', 'match'],
      ['generated: no match, only match event.category fails', 'no match'],
      ['generated: no match, only an executable fails', 'no match'],
      ['generated: no match, only not match user.id fails', 'no match'],
      ['generated: no match, only range process.pid fails', 'no match'],
    ]);
    tests.slice(1).forEach((t, i) => {
      expect(evaluate(clauses[i] as (typeof clauses)[number], t.event)).toBe(false);
      for (const [j, c] of clauses.entries()) if (j !== i) expect(evaluate(c, t.event)).toBe(true);
    });
  });

  it('falls back to any non-matching event outside a conjunction, and says nothing it cannot confirm', () => {
    const q = or([equals(f('process.code_signature.trusted', 'boolean'), true), regex(f('file.name'), 'a+b', true)]);
    const tests = generateTests(q);
    expect(tests.map((t) => t.name)).toEqual(['generated: matches', 'generated: no match']);
    for (const t of tests) expect(evaluate(q, t.event) ? 'match' : 'no match').toBe(t.expect);
    // A query that matches nothing gets only the non-matching event.
    const never = and([exists(f('a')), not(exists(f('a')))]);
    expect(generateTests(never).map((t) => t.expect)).toEqual(['no match', 'no match']);
  });

  it('firstWitnesses answers several one-way questions from one model', () => {
    const a = match(f('x'), [globPattern('a*')], false);
    const b = match(f('x'), [globPattern('*b')], false);
    const [onlyA, none] = firstWitnesses([
      [a, b],
      [and([a, b]), a],
    ]);
    expect(onlyA !== undefined && evaluate(a, onlyA) && !evaluate(b, onlyA)).toBe(true);
    expect(none).toBeUndefined();
  });
});
