/**
 * Escaping of the two Elasticsearch backends, on 10,000 adversarial values each: the text we
 * write reads back as exactly the intended value (EQL: through a lexer written from
 * Elasticsearch's grammar; Query DSL: JSON, then Lucene's wildcard syntax).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eqlField, eqlString } from '../../src/backends/eql/strings.js';
import { wildcardValue } from '../../src/backends/esdsl/index.js';
import { tokenize } from '../../src/frontends/eql/lexer.js';
import { ANY_RUN, ONE_CHAR, literalPart, makePattern, type Pattern } from '../../src/ir/pattern.js';
import { adversarialPattern, adversarialString } from '../support/arbitraries.js';

const RUNS = { numRuns: 10_000 };

/** Lucene WildcardQuery syntax: `*`, `?`, and `\` escaping the next character. */
function readLuceneWildcard(text: string): Pattern {
  const chars = Array.from(text);
  const parts: Pattern[number][] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\\') parts.push(literalPart(chars[++i] ?? ''));
    else if (ch === '*') parts.push(ANY_RUN);
    else if (ch === '?') parts.push(ONE_CHAR);
    else parts.push(literalPart(ch));
  }
  return makePattern(parts);
}

describe('EQL escaping', () => {
  it('string literals read back as the exact value, one string token', () => {
    fc.assert(
      fc.property(adversarialString, (value) => {
        const tokens = tokenize(eqlString(value));
        expect(tokens.map((t) => t.kind)).toEqual(['string', 'eof']);
        expect(tokens[0]?.value).toBe(value);
      }),
      RUNS,
    );
  });

  it('field names read back as the same name, one token per segment', () => {
    const segment = fc.oneof(fc.constantFrom('process', 'name', 'sequence', 'where', '@timestamp', 'my-field', '1x', 'a b', 'x`y'), adversarialString.filter((s) => s !== '' && !s.includes('.')));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segments) => {
        const name = segments.join('.');
        const tokens = tokenize(eqlField(name)).filter((t) => t.kind !== 'eof');
        const read = tokens.filter((t) => t.kind !== 'punct').map((t) => t.value).join('.');
        expect(read).toBe(name);
      }),
      RUNS,
    );
  });
});

describe('Query DSL escaping', () => {
  it('wildcard values read back (JSON, then Lucene wildcard syntax) as the exact pattern', () => {
    fc.assert(
      fc.property(adversarialPattern, (pattern) => {
        const json = JSON.stringify({ value: wildcardValue(pattern) });
        expect(readLuceneWildcard((JSON.parse(json) as { value: string }).value)).toEqual(pattern);
      }),
      RUNS,
    );
  });
});
