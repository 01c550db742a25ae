/**
 * Capability tables: for every IR construct, how a target renders it. They are data, so the
 * documentation (docs/targets.md) is generated from them and cannot drift from the code.
 */
import type { ApproximationCode } from '../codes.js';
import type { Direction } from '../diagnostics.js';

/** IR constructs, at the grain where targets differ. */
export const CONSTRUCTS = {
  'match.exact': 'exact string equality, case-sensitive',
  'match.exact.ci': 'exact string equality, ignoring case',
  'match.list': 'membership in a list of exact strings',
  'match.anyRun': '`*` wildcard (any run of characters)',
  'match.oneChar': '`?` wildcard (exactly one character)',
  'match.glob.ci': 'wildcard match ignoring case',
  'match.literalGlobChar': 'a literal `*` or `?` inside a wildcard pattern',
  'match.whitespaceGlob': 'a wildcard pattern containing whitespace',
  'match.specialChars': 'quotes, backslashes, control characters and unicode in values',
  exists: 'field exists (an empty string counts)',
  not: 'negation: plain complement (events without the field match)',
  'equals.boolean': 'boolean equality',
  'equals.number': 'numeric equality',
  range: 'numeric range',
  cidr: 'IP in CIDR range',
  regex: 'whole-value regular expression',
  'regex.ci': 'regular expression ignoring case',
  'field.names': 'field names with unusual characters (quotes, `|`, backslashes, controls)',
  source: 'where the search runs (the rule\'s index patterns)',
} as const;

export type Construct = keyof typeof CONSTRUCTS;

export type Support =
  | { readonly level: 'exact'; readonly how: string }
  | { readonly level: 'approximate'; readonly how: string; readonly direction: Direction; readonly code: ApproximationCode }
  | { readonly level: 'unsupported'; readonly how: string; readonly code: ApproximationCode };

export type CapabilityTable = { readonly [C in Construct]: Support };

export const exact = (how: string): Support => ({ level: 'exact', how });
export const approximate = (code: ApproximationCode, direction: Direction, how: string): Support => ({ level: 'approximate', how, direction, code });
export const unsupported = (code: ApproximationCode, how: string): Support => ({ level: 'unsupported', how, code });
