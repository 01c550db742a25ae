import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyGlobMatches, globMatches } from '../../src/eval/glob.js';
import { ANY_RUN, literalPart, makePattern, ONE_CHAR, type Pattern } from '../../src/ir/pattern.js';

// Characters where code units, code points and ASCII-only case folding part ways: letters of
// both cases, non-letters one bit apart from letters ('[' and '{'), a folded pair outside ASCII,
// an astral character (a surrogate pair) and both lone surrogates.
const CHARS = ['a', 'A', 'b', 'B', '[', '{', 'é', 'É', '😀', '\uD83D', '\uDE00', '.'];
const textOf = (chars: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((cs) => cs.join(''));
const patternOf = (chars: readonly string[]): fc.Arbitrary<Pattern> =>
  fc.array(fc.oneof(fc.constant(ANY_RUN), fc.constant(ONE_CHAR), textOf(chars, 3).map((t) => literalPart(t))), { maxLength: 6 }).map((parts) => makePattern(parts));
const text = textOf(CHARS, 8);
const pattern = patternOf(CHARS);

describe('matching a list of globs', () => {
  it('says what matching each pattern on its own says, case-sensitive or not', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 6 }), text, fc.boolean(), (patterns, value, caseInsensitive) => {
        expect(anyGlobMatches(patterns, value, caseInsensitive)).toBe(patterns.some((p) => globMatches(p, value, caseInsensitive)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('says the same over two letters, where literal runs overlap and repeat', () => {
    fc.assert(
      fc.property(fc.array(patternOf(['a', 'b']), { maxLength: 4 }), textOf(['a', 'b'], 10), (patterns, value) => {
        expect(anyGlobMatches(patterns, value, false)).toBe(patterns.some((p) => globMatches(p, value, false)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes each literal run at its leftmost place only where that is exact', () => {
    const star = (...parts: (string | typeof ANY_RUN)[]) => makePattern(parts.map((p) => (typeof p === 'string' ? literalPart(p) : p)));
    expect(anyGlobMatches([star(ANY_RUN, 'ab', ANY_RUN, 'b')], 'abab', false)).toBe(true);
    expect(anyGlobMatches([star('ab', ANY_RUN, 'ba')], 'aba', false)).toBe(false);
    expect(anyGlobMatches([star(ANY_RUN, 'ab', ANY_RUN, 'b')], 'xab', false)).toBe(false);
    expect(anyGlobMatches([star('A', ANY_RUN, 'É')], 'aXé', true)).toBe(false);
    expect(anyGlobMatches([star('A', ANY_RUN, '[')], 'a{', true)).toBe(false);
    // A lone surrogate in a pattern never matches half of a pair.
    expect(anyGlobMatches([star(ANY_RUN, '\uDE00')], '😀', false)).toBe(false);
  });
});
