/** Values the type checker cannot see, checked where they enter the DSL (reported, never thrown). */
import { describe, expect, it } from 'vitest';
import { customField, field, not, pattern, literal, anyRun } from '../../src/index.js';
import { drainProblems } from '../../src/dsl/problems.js';
import { FIELD_NAME } from '../../src/dsl/text-checks.js';

const codes = (): string[] => drainProblems().map((p) => p.code);

describe('DSL boundary checks', () => {
  it('custom field names follow one grammar every target accepts', () => {
    drainProblems();
    for (const name of ['a', '@timestamp', 'my-field.sub_1', 'x.@y', '_a.b-c']) {
      customField(name, 'keyword').equals('v');
      expect(codes(), name).toEqual([]);
      expect(FIELD_NAME.test(name)).toBe(true);
    }
    for (const name of ['', 'a|b', 'a b', 'a..b', '.a', 'a.', '1a', 'a"b', 'a\\b', 'é', 'a*']) {
      customField(name, 'keyword').equals('v');
      expect(codes(), name).toEqual(['SIEMC-R018']);
    }
  });

  it('reports a problem at the caller for a NUL or a lone surrogate in values, patterns, regexes and labels', () => {
    drainProblems();
    const f = field('process.name');
    f.in(['a\u0000']);
    f.likeIgnoreCase('x*\u0000');
    f.like(pattern(literal('\u0000'), anyRun));
    f.matches('a\u0000.*');
    f.equals('\uD800x');
    not(f.equals('x')).as('label\u0000');
    const problems = drainProblems();
    expect(problems.map((p) => p.code)).toEqual(Array(6).fill('SIEMC-R017'));
    // At this file's lines, which the loader turns into code frames.
    expect(problems.every((p) => p.location?.file.endsWith('test/dsl/boundary.test.ts'))).toBe(true);
  });

  it('accepts every other control and invisible character: backends escape them', () => {
    drainProblems();
    field('process.name').in(['a\u0001\t\n\u0085\u202e\u200b\u2066\ufeff']).as('x\u202e');
    expect(codes()).toEqual([]);
  });
});
