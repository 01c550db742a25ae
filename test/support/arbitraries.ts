/**
 * fast-check generators for adversarial values and patterns, shared by every backend's
 * property tests and by the live Elasticsearch test.
 */
import fc from 'fast-check';
import { and, not, or, type Node } from '../../src/ir/nodes.js';
import { ANY_RUN, ONE_CHAR, literalPart, makePattern, type Pattern } from '../../src/ir/pattern.js';

/** Characters that break naive escaping somewhere: quotes, backslashes, wildcards, operators, whitespace. */
const NASTY = [
  '"', "'", '\\', '*', '?', '|', '(', ')', ':', '<', '>', '{', '}', '[', ']', '=', '!', '~', '#', '@', '&',
  ' ', '\t', '\n', '\r', '`', '$', '%', '^', '/', ',', ';', '-', '+', '.', 'é', 'ß', 'İ', '€', '😀', '\u0000', '\u001f', '\u0085', '\u2028', '\u2029',
  // Invisible in a diff: a C1 control, bidi controls (override, isolate, marks), zero-width characters, a no-break space.
  '\u009b', '\u202e', '\u2066', '\u200e', '\u061c', '\u200b', '\u2060', '\ufeff', '\u00a0',
];

/** One character: mostly ASCII letters and digits, often a nasty one. */
export const adversarialChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.constantFrom(...'abcXYZ019') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }) },
);

/** A value of 0..20 characters, with leading/trailing spaces and keywords (or, and, not) sometimes. */
export const adversarialString = fc.oneof(
  { weight: 8, arbitrary: fc.array(adversarialChar, { maxLength: 20 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('or', 'and', 'not', 'OR', 'NOT', 'null', 'true', ' x ', '') },
);

/** A pattern mixing literal text (nasty characters included) with `*` and `?` wildcards. */
export const adversarialPattern: fc.Arbitrary<Pattern> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: adversarialString.map((s) => literalPart(s)) },
      { weight: 1, arbitrary: fc.constant(ANY_RUN) },
      { weight: 1, arbitrary: fc.constant(ONE_CHAR) },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map(makePattern);

/** IR trees over the given leaves: and / or of 1 to `width` children, and not. */
export function irTree(leaf: fc.Arbitrary<Node>, width = 4): fc.Arbitrary<Node> {
  return fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('node'), { minLength: 1, maxLength: width }).map((cs) => and(cs)),
      fc.array(tie('node'), { minLength: 1, maxLength: width }).map((cs) => or(cs)),
      tie('node').map((c) => not(c)),
    ),
  })).node;
}
