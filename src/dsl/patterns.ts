/**
 * Explicit patterns, for the rare value whose `*` or `?` is a literal character:
 * `pattern('C:\\dir\\', literal('*'), anyRun)`. Plain strings passed here are literal text.
 */
import type { BuiltPattern } from './fields.js';
import { ANY_RUN, ONE_CHAR, literalPart, makePattern, type PatternPart } from '../ir/pattern.js';

export const anyRun: PatternPart = ANY_RUN;
export const oneChar: PatternPart = ONE_CHAR;
export const literal = (text: string): PatternPart => literalPart(text);

export function pattern(...parts: (string | PatternPart)[]): BuiltPattern {
  return Object.freeze({ parts: makePattern(parts.map((p) => (typeof p === 'string' ? literalPart(p) : p))) });
}
