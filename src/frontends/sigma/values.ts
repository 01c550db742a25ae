/**
 * Sigma detection values and their modifiers, with pySigma's meaning (pySigma 1.5,
 * sigma/modifiers.py and sigma/types.py):
 * - a string's `*` and `?` are wildcards; `\` escapes `*`, `?` and `\`, and is a plain backslash
 *   before anything else (so Windows paths need no doubling);
 * - modifiers apply left to right to every value; `all` and `neq` change how the values combine.
 */
import { ANY_RUN, literalPart, makePattern, ONE_CHAR, type Pattern, type PatternPart } from '../../ir/pattern.js';
import { ImportProblem } from './problems.js';
import type { Scalar } from './yaml.js';

export interface SigmaString {
  readonly kind: 'string';
  readonly parts: readonly PatternPart[];
  readonly cased: boolean;
  /** Each character stands for one byte (after `wide` and friends), so base64 encodes it as Latin-1. */
  readonly bytes: boolean;
  /** The text as written, while no modifier has changed it (a regex reads it, escapes and all). */
  readonly original?: string;
}

export type RegexFlag = 'i' | 'm' | 's';
export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';

export type SigmaValue =
  | SigmaString
  | { readonly kind: 'expansion'; readonly items: readonly SigmaString[] }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: ReadonlySet<RegexFlag> }
  | { readonly kind: 'cidr'; readonly network: string }
  | { readonly kind: 'number'; readonly value: number; readonly source: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: number }
  | { readonly kind: 'fieldref'; readonly field: string };

/** A Sigma string as pattern parts (types.py SigmaString.__init__). */
export function parseSigmaString(s: string): SigmaString {
  const parts: PatternPart[] = [];
  let acc = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      acc += c === '*' || c === '?' || c === '\\' ? c : `\\${c}`;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '*' || c === '?') {
      parts.push(literalPart(acc), c === '*' ? ANY_RUN : ONE_CHAR);
      acc = '';
    } else {
      acc += c;
    }
  }
  if (escaped) acc += '\\';
  parts.push(literalPart(acc));
  return { kind: 'string', parts: makePattern(parts), cased: false, bytes: false, original: s };
}

/** How a YAML scalar reads as a Sigma value before modifiers. */
export function scalarValue(value: Scalar, source: string): SigmaValue {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'number') return { kind: 'number', value, source };
  return parseSigmaString(value);
}

export function stringPattern(s: SigmaString): Pattern {
  return makePattern(s.parts);
}

const hasWildcards = (s: SigmaString): boolean => s.parts.some((p) => p.kind !== 'literal');
const plainText = (s: SigmaString): string => s.parts.map((p) => (p.kind === 'literal' ? p.text : '')).join('');

/** Modifiers that change how the list of values combines, not the values themselves. */
export const LIST_MODIFIERS: ReadonlySet<string> = new Set(['all', 'neq']);

const TIMESTAMP_MODIFIERS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

/** A number, a numeric string or a boolean as text, for string modifiers (pySigma converts them the same way). */
function asString(v: SigmaValue, modifier: string): SigmaString {
  if (v.kind === 'string') return v;
  if (v.kind === 'number') return parseSigmaString(v.source);
  if (v.kind === 'bool') return parseSigmaString(v.value ? 'true' : 'false');
  throw new ImportProblem('SIEMC-I106', `modifier ${modifier} applies to strings, not to ${describe(v)}`);
}

function describe(v: SigmaValue): string {
  switch (v.kind) {
    case 'string':
      return 'a string';
    case 'expansion':
      return 'an expanded string';
    case 'regex':
      return 'a regular expression';
    case 'cidr':
      return 'a CIDR network';
    case 'number':
      return 'a number';
    case 'bool':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'exists':
      return 'an exists test';
    case 'compare':
      return 'a comparison';
    case 'fieldref':
      return 'a field reference';
  }
}

/** Applies a string-to-string(s) change to a string or to each string of an expansion. */
function eachString(v: SigmaValue, modifier: string, f: (s: SigmaString) => SigmaString | readonly SigmaString[]): SigmaValue {
  const items = v.kind === 'expansion' ? v.items : [asString(v, modifier)];
  const out = items.flatMap((s) => f(s));
  return out.length === 1 && v.kind !== 'expansion' ? (out[0] as SigmaString) : { kind: 'expansion', items: out };
}

function withParts(s: SigmaString, parts: readonly PatternPart[]): SigmaString {
  return { kind: 'string', parts: makePattern(parts), cased: s.cased, bytes: s.bytes };
}

const BASE64_START = [0, 2, 3] as const;
const BASE64_END = [undefined, -3, -2] as const;
const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
/** Expansions beyond this many variants of one value are refused rather than built. */
const MAX_EXPANSION = 4096;

function bytesOf(s: SigmaString): Buffer {
  return Buffer.from(plainText(s), s.bytes ? 'latin1' : 'utf8');
}

function base64(s: SigmaString, modifier: string): Buffer {
  if (hasWildcards(s)) throw new ImportProblem('SIEMC-I106', `${modifier} cannot encode a value with wildcards`);
  return bytesOf(s);
}

function literalString(text: string, bytes = false): SigmaString {
  return { kind: 'string', parts: makePattern([literalPart(text)]), cased: false, bytes };
}

/** Byte-per-character text of each literal part in one UTF-16 encoding; wildcards stay. */
function encodeWide(s: SigmaString, modifier: string, encode: (text: string) => Buffer, prefix = ''): SigmaString {
  const parts = s.parts.map((p) => {
    if (p.kind !== 'literal') return p;
    // pySigma refuses characters that do not survive its UTF-16-as-UTF-8 trick (all but ASCII).
    if (/[^\u0000-\u007f]/.test(p.text)) throw new ImportProblem('SIEMC-I106', `${modifier} is only defined for ASCII text here (as in pySigma)`);
    return literalPart(encode(p.text).toString('latin1'));
  });
  return { kind: 'string', parts: makePattern([literalPart(prefix), ...parts]), cased: s.cased, bytes: true };
}

/** windash: each `-` or `/` that starts a word (pySigma: `\B[-/]\b`) in every form Windows accepts. */
function windash(s: SigmaString): SigmaString[] {
  let variants: PatternPart[][] = [[]];
  for (const p of s.parts) {
    if (p.kind !== 'literal') {
      variants = variants.map((v) => [...v, p]);
      continue;
    }
    const pieces: (string | null)[] = [];
    let last = 0;
    const re = /[-/]/g;
    for (let m = re.exec(p.text); m !== null; m = re.exec(p.text)) {
      const before = p.text[m.index - 1];
      const after = p.text[m.index + 1];
      const word = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
      if (word(before) || !word(after)) continue;
      pieces.push(p.text.slice(last, m.index), null);
      last = m.index + 1;
    }
    pieces.push(p.text.slice(last));
    for (const piece of pieces) {
      if (piece === null) {
        variants = variants.flatMap((v) => DASHES.map((d) => [...v, literalPart(d)]));
        if (variants.length > MAX_EXPANSION) throw new ImportProblem('SIEMC-I106', `windash expands this value into more than ${MAX_EXPANSION} variants`);
      } else {
        variants = variants.map((v) => [...v, literalPart(piece)]);
      }
    }
  }
  return variants.map((parts) => withParts(s, parts));
}

function numberOf(v: SigmaValue, modifier: string): number {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'string' && !hasWildcards(v)) {
    const t = plainText(v).trim();
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  }
  throw new ImportProblem('SIEMC-I106', `modifier ${modifier} needs a number, not ${describe(v)}`);
}

/** One value through the value modifiers, in order. */
export function applyModifiers(value: SigmaValue, modifiers: readonly string[]): SigmaValue {
  let v = value;
  let applied = 0;
  for (const m of modifiers) {
    if (LIST_MODIFIERS.has(m)) continue;
    v = applyOne(v, m, applied);
    applied++;
  }
  return v;
}

function applyOne(v: SigmaValue, m: string, applied: number): SigmaValue {
  switch (m) {
    case 'contains':
    case 'startswith':
    case 'endswith':
      // A Sigma regex already matches anywhere in the value: pySigma's added `.*` changes nothing.
      if (v.kind === 'regex') return v;
      if (v.kind === 'fieldref') throw new ImportProblem('SIEMC-I107', `${m} on a field reference compares two fields, which the IR cannot express`);
      return eachString(v, m, (s) => withParts(s, [...(m === 'startswith' ? [] : [ANY_RUN]), ...s.parts, ...(m === 'endswith' ? [] : [ANY_RUN])]));
    case 'base64':
      return eachString(v, m, (s) => literalString(base64(s, m).toString('base64')));
    case 'base64offset':
      return eachString(v, m, (s) => {
        const bytes = base64(s, m);
        return [0, 1, 2].map((i) => {
          const encoded = Buffer.concat([Buffer.from(' '.repeat(i)), bytes]).toString('base64');
          const end = BASE64_END[(bytes.length + i) % 3];
          return literalString(encoded.slice(BASE64_START[i], end));
        });
      });
    case 'wide':
    case 'utf16le':
      return eachString(v, m, (s) => encodeWide(s, m, (t) => Buffer.from(t, 'utf16le')));
    case 'utf16be':
      return eachString(v, m, (s) => encodeWide(s, m, (t) => Buffer.from(t, 'utf16le').swap16()));
    case 'utf16':
      return eachString(v, m, (s) => encodeWide(s, m, (t) => Buffer.from(t, 'utf16le'), '\u00ff\u00fe'));
    case 'windash':
      return eachString(v, m, windash);
    case 're':
      if (applied > 0) throw new ImportProblem('SIEMC-I106', 're must be the first value modifier (pySigma: "only applicable to unmodified values")');
      if (v.kind === 'number') return { kind: 'regex', source: v.source, flags: new Set() };
      if (v.kind !== 'string' || v.original === undefined) throw new ImportProblem('SIEMC-I106', `re applies to a string as written, not to ${describe(v)}`);
      return { kind: 'regex', source: v.original, flags: new Set() };
    case 'i':
    case 'ignorecase':
    case 'm':
    case 'multiline':
    case 's':
    case 'dotall': {
      if (v.kind !== 'regex') throw new ImportProblem('SIEMC-I106', `modifier ${m} applies to regular expressions (after re)`);
      const flag: RegexFlag = m === 'i' || m === 'ignorecase' ? 'i' : m === 'm' || m === 'multiline' ? 'm' : 's';
      return { ...v, flags: new Set([...v.flags, flag]) };
    }
    case 'cased':
      return eachString(v, m, (s) => ({ ...s, cased: true }));
    case 'cidr':
      if (applied > 0) throw new ImportProblem('SIEMC-I106', 'cidr must be the only value modifier');
      return { kind: 'cidr', network: plainText(asString(v, m)) };
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return { kind: 'compare', op: m, value: numberOf(v, m) };
    case 'fieldref':
      if (v.kind !== 'string' || hasWildcards(v)) throw new ImportProblem('SIEMC-I106', 'a field reference names one field, without wildcards');
      return { kind: 'fieldref', field: plainText(v) };
    case 'exists':
      if (applied > 0 || v.kind !== 'bool') throw new ImportProblem('SIEMC-I106', 'exists takes true or false and no other modifier');
      return { kind: 'exists', value: v.value };
    case 'expand':
      throw new ImportProblem('SIEMC-I113', 'expand needs placeholder values from a processing pipeline, which an imported rule does not have');
    default:
      if (TIMESTAMP_MODIFIERS.has(m)) throw new ImportProblem('SIEMC-I113', `the ${m} modifier compares a part of a timestamp, which the IR cannot express`);
      throw new ImportProblem('SIEMC-I106', `unknown modifier "${m}"`);
  }
}

