/**
 * Test events are data, and most of a rule file: 50 events of a few nested objects each made
 * TypeScript spend ~90% of a build's type check on them (1,000 rules: 40 s of 52 s). Yet a test
 * written as plain literals, `{ name: '...', expect: 'match' | 'no match', event: <JSON> }`,
 * can have no type error: a string is a string, the two verdicts are the two the type allows,
 * and every JSON value is a `Json`.
 *
 * So before the build's type check, this blanks out (with spaces, keeping every newline, so
 * positions stay) each element of a `RuleTest` array that this scanner proves is such plain
 * data. An element it cannot prove (a spread, a variable, a call, a template, an extra or
 * repeated key, a bigint, an octal escape ...) stays for TypeScript to check as written.
 * Arrays count as `RuleTest` arrays in two places only:
 *   - the `tests:` property of the object literal passed straight to `defineRule(`, and
 *   - a declaration typed `: RuleTest[]` or `: readonly RuleTest[]`,
 * where `defineRule` / `RuleTest` are imported from 'siemc' under their own names.
 * Editors still check the events as written; only the build's check sees the blanked text,
 * while the bundle that runs the rules is built from the original.
 */
import type { RuleTest } from '../model/rule.js';

// The scanner proves elements against exactly these keys; a change to RuleTest must change it.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const TEST_KEYS = ['name', 'expect', 'event'] as const;
const testKeysMatch: Exactly<keyof RuleTest, (typeof TEST_KEYS)[number]> = true;
void testKeysMatch;
const VERDICTS: ReadonlySet<string> = new Set<RuleTest['expect']>(['match', 'no match']);

/** Token kinds; 0 past the last token. */
const IDENT = 1;
const STRING = 2;
const TEMPLATE = 3;
const NUMBER_TOKEN = 4;
const REGEX = 5;
const PUNCT = 6;

/**
 * Tokens as parallel arrays, not one object each: a rule file's test events are ~10^4 tokens,
 * and objects for them made the garbage collector half of the blanking time.
 */
class Tokens {
  length = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** Identifier name, punctuation, number text, or a string's value (undefined when the string is not plain). */
  readonly values: (string | undefined)[] = [];

  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity + 1);
    this.starts = new Int32Array(capacity + 1);
    this.ends = new Int32Array(capacity + 1);
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }

  push(kind: number, start: number, end: number, value: string | undefined): void {
    if (this.length + 1 >= this.kinds.length) this.grow();
    const i = this.length++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.values[i] = value;
  }

  kind(i: number): number {
    return i >= 0 && i < this.length ? (this.kinds[i] as number) : 0;
  }

  value(i: number): string | undefined {
    return i >= 0 && i < this.length ? this.values[i] : undefined;
  }

  isPunct(i: number, v: string): boolean {
    return this.kind(i) === PUNCT && this.values[i] === v;
  }

  isIdent(i: number, v: string): boolean {
    return this.kind(i) === IDENT && this.values[i] === v;
  }
}

const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** After these, a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

/**
 * The value of a string literal body when it is plain (escapes a strict-mode module accepts),
 * else undefined; the scan stops at the closing quote either way.
 */
function readString(text: string, start: number): { end: number; value: string | undefined } {
  const quote = text.charCodeAt(start);
  let i = start + 1;
  // Most strings hold no escape: their value is one slice.
  let run = i;
  let value = '';
  let plain = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) return { end: i + 1, value: plain ? value + text.slice(run, i) : undefined };
    if (c === 10 || c === 13) return { end: i, value: undefined };
    if (c !== 92) {
      i++;
      continue;
    }
    value += text.slice(run, i);
    const e = text[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (e === '0' && !isDigit(text.charCodeAt(i + 2))) {
      value += '\0';
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (e === 'u' && text[i + 2] === '{') {
      const close = text.indexOf('}', i + 3);
      const hex = close < 0 ? '' : text.slice(i + 3, close);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) plain = false;
      else value += String.fromCodePoint(parseInt(hex, 16));
      i = close < 0 ? i + 2 : close + 1;
    } else if (e === '\n' || e === '\r' || e === '\u2028' || e === '\u2029') {
      // A line continuation: TypeScript accepts it; the value does not matter for the proof.
      plain = false;
      i += 2;
    } else if (isDigit(e.charCodeAt(0)) || e === 'x' || e === 'u' || e === '') {
      plain = false; // octal or malformed escapes are errors in a module
      i += 2;
    } else {
      value += e;
      i += 2;
    }
    run = i;
  }
  return { end: i, value: undefined };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string | undefined>> = Object.assign(Object.create(null) as Record<string, string>, {
  n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', "'": "'", '"': '"', '\\': '\\',
});

/** A template literal from its backtick; `${` pushes onto the brace stack the caller keeps. */
function readTemplateChunk(text: string, start: number): { end: number; opensExpression: boolean } {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 96) return { end: i + 1, opensExpression: false };
    else if (c === 36 && text.charCodeAt(i + 1) === 123) return { end: i + 2, opensExpression: true };
    else i++;
  }
  return { end: i, opensExpression: false };
}

function readRegex(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    if (c === 92) i += 2;
    else {
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) {
        i++;
        while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
        return i;
      }
      i++;
    }
  }
  return i;
}

const PUNCT3: ReadonlySet<string> = new Set(['...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=']);
const PUNCT2: ReadonlySet<string> = new Set(['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '**']);
/** Characters no longer punctuator starts with: always one token of one character (most of a test event's tokens). */
const SINGLE = new Set('{}()[];,:~@#'.split('').map((c) => c.charCodeAt(0)));
/** One-character strings by code, so a token's value is never a fresh slice. */
const CHARS: readonly string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** JavaScript/TypeScript tokens, without comments and whitespace. */
function tokenize(text: string): Tokens {
  // Test events run about one token to four characters; the arrays grow when a text has more
  // (sized for one token per character, they were 9 bytes per character to allocate and clear).
  const tokens = new Tokens((text.length >> 2) + 16);
  // For each open `{`: whether it opened a template expression (its `}` resumes the template).
  const braces: boolean[] = [];
  let i = 0;
  const regexAllowed = (): boolean => {
    const last = tokens.length - 1;
    if (last < 0) return true;
    const kind = tokens.kind(last);
    const value = tokens.values[last];
    if (kind === IDENT) return REGEX_AFTER_KEYWORD.has(value ?? '');
    if (kind === PUNCT) return value !== ')' && value !== ']' && value !== '}' && value !== '++' && value !== '--';
    return false;
  };
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 11 || c === 12) {
      i++;
    } else if (SINGLE.has(c) && !(c === 125 && braces[braces.length - 1] === true)) {
      if (c === 123) braces.push(false);
      else if (c === 125) braces.pop();
      tokens.push(PUNCT, i, i + 1, CHARS[c]);
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 39 || c === 34) {
      const s = readString(text, i);
      tokens.push(STRING, i, s.end, s.value);
      i = s.end;
    } else if (c === 96) {
      const t = readTemplateChunk(text, i + 1);
      tokens.push(TEMPLATE, i, t.end, undefined);
      if (t.opensExpression) braces.push(true);
      i = t.end;
    } else if (c === 125 && braces[braces.length - 1] === true) {
      braces.pop();
      const t = readTemplateChunk(text, i + 1);
      tokens.push(TEMPLATE, i, t.end, undefined);
      if (t.opensExpression) braces.push(true);
      i = t.end;
    } else if (isIdentStart(c) || (c === 92 && text[i + 1] === 'u')) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 92)) j++;
      tokens.push(IDENT, i, j, text.slice(i, j));
      i = j;
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        const prev = text.charCodeAt(j - 1);
        if (isIdentPart(d) || d === 46 || ((d === 43 || d === 45) && (prev === 101 || prev === 69))) j++;
        else break;
      }
      tokens.push(NUMBER_TOKEN, i, j, text.slice(i, j));
      i = j;
    } else if (c === 47 && regexAllowed()) {
      const end = readRegex(text, i);
      tokens.push(REGEX, i, end, undefined);
      i = end;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const p = PUNCT3.has(three) ? three : PUNCT2.has(two) ? two : c < 128 ? (CHARS[c] as string) : (text[i] as string);
      tokens.push(PUNCT, i, i + p.length, p);
      i += p.length;
    }
  }
  return tokens;
}

/** Names imported from 'siemc' under their own names (`import { a, type B } from 'siemc'`). */
function namesFromSiemc(tokens: Tokens): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens.isIdent(i, 'import')) continue;
    let j = i + 1;
    if (tokens.value(j) === 'type') j++;
    if (tokens.value(j) !== '{') continue;
    let close = -1;
    for (let k = j + 1; k < tokens.length; k++) {
      if (tokens.values[k] === '}') {
        close = k;
        break;
      }
    }
    if (close < 0 || tokens.value(close + 1) !== 'from' || tokens.kind(close + 2) !== STRING || tokens.value(close + 2) !== 'siemc') continue;
    for (let k = j + 1; k < close; k++) {
      const value = tokens.values[k];
      const next = tokens.value(k + 1);
      if (tokens.kind(k) === IDENT && value !== 'type' && (next === ',' || next === '}')) names.add(value ?? '');
    }
  }
  return names;
}

/** Numeric literals a module accepts, without separators (`1__0` is an error) or bigints (not JSON). */
const NUMBER = /^(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^0[xX][0-9a-fA-F]+$|^0[bB][01]+$|^0[oO][0-7]+$/;

/**
 * A parser over the tokens of one array literal, proving each element a plain test. Every
 * method returns the index after what it read, or -1 when the text is not plain data.
 */
class PlainData {
  constructor(private readonly tokens: Tokens) {}

  private is(i: number, value: string): boolean {
    return this.tokens.isPunct(i, value);
  }

  /** A key of an object literal: its canonical name, as TypeScript compares duplicates. */
  private key(i: number): string | undefined {
    const kind = this.tokens.kind(i);
    const value = this.tokens.value(i);
    if (kind === IDENT) return value?.includes('\\') === true ? undefined : value;
    if (kind === STRING) return value;
    if (kind === NUMBER_TOKEN && value !== undefined && NUMBER.test(value)) return String(Number(value));
    return undefined;
  }

  json(i: number): number {
    const kind = this.tokens.kind(i);
    const value = this.tokens.value(i);
    if (kind === 0) return -1;
    if (kind === STRING) return value === undefined ? -1 : i + 1;
    if (kind === NUMBER_TOKEN) return value !== undefined && NUMBER.test(value) ? i + 1 : -1;
    if (kind === IDENT) return value === 'true' || value === 'false' || value === 'null' ? i + 1 : -1;
    if (this.is(i, '-') || this.is(i, '+')) return this.tokens.kind(i + 1) === NUMBER_TOKEN ? this.json(i + 1) : -1;
    if (this.is(i, '[')) {
      let j = i + 1;
      while (!this.is(j, ']')) {
        j = this.json(j);
        if (j < 0) return -1;
        if (this.is(j, ',')) j++;
        else if (!this.is(j, ']')) return -1;
      }
      return j + 1;
    }
    if (this.is(i, '{')) {
      const seen = new Set<string>();
      let j = i + 1;
      while (!this.is(j, '}')) {
        const k = this.key(j);
        if (k === undefined || k === '__proto__' || seen.has(k) || !this.is(j + 1, ':')) return -1;
        seen.add(k);
        j = this.json(j + 2);
        if (j < 0) return -1;
        if (this.is(j, ',')) j++;
        else if (!this.is(j, '}')) return -1;
      }
      return j + 1;
    }
    return -1;
  }

  /** `{ name: '...', expect: 'match' | 'no match', event: <json> }`, each key once, any order. */
  test(i: number): number {
    if (!this.is(i, '{')) return -1;
    const seen = new Set<string>();
    let j = i + 1;
    while (!this.is(j, '}')) {
      const k = this.key(j);
      if (k === undefined || seen.has(k) || !this.is(j + 1, ':')) return -1;
      seen.add(k);
      const vKind = this.tokens.kind(j + 2);
      const v = this.tokens.value(j + 2);
      if (k === 'name') j = vKind === STRING && v !== undefined ? j + 3 : -1;
      else if (k === 'expect') j = vKind === STRING && v !== undefined && VERDICTS.has(v) ? j + 3 : -1;
      else if (k === 'event') j = this.json(j + 2);
      else return -1;
      if (j < 0) return -1;
      if (this.is(j, ',')) j++;
      else if (!this.is(j, '}')) return -1;
    }
    return TEST_KEYS.every((k) => seen.has(k)) ? j + 1 : -1;
  }

  /**
   * The value of a proven element or JSON value starting at token i, as the module would build
   * it (keys in source order, numbers as Number reads them), with the index after it; undefined
   * where JSON text could not carry it exactly (-0, a number too large to be finite).
   */
  value(i: number): { value: unknown; next: number } | undefined {
    const kind = this.tokens.kind(i);
    const text = this.tokens.value(i);
    if (kind === STRING) return { value: text, next: i + 1 };
    if (kind === NUMBER_TOKEN) return this.number(Number(text), i + 1);
    if (kind === IDENT) return { value: text === 'true' ? true : text === 'false' ? false : null, next: i + 1 };
    if (this.is(i, '-') || this.is(i, '+')) {
      const n = Number(this.tokens.value(i + 1));
      return this.number(this.is(i, '-') ? -n : n, i + 2);
    }
    if (this.is(i, '[')) {
      const out: unknown[] = [];
      let j = i + 1;
      while (!this.is(j, ']')) {
        const v = this.value(j);
        if (v === undefined) return undefined;
        out.push(v.value);
        j = this.is(v.next, ',') ? v.next + 1 : v.next;
      }
      return { value: out, next: j + 1 };
    }
    // An object (proven: no __proto__, no repeated key), keys inserted in source order.
    const out: Record<string, unknown> = {};
    let j = i + 1;
    while (!this.is(j, '}')) {
      const v = this.value(j + 2);
      if (v === undefined) return undefined;
      out[this.key(j) as string] = v.value;
      j = this.is(v.next, ',') ? v.next + 1 : v.next;
    }
    return { value: out, next: j + 1 };
  }

  private number(n: number, next: number): { value: number; next: number } | undefined {
    return Number.isFinite(n) && !Object.is(n, -0) ? { value: n, next } : undefined;
  }

  /** Skips one expression of unknown shape up to the `,` or `]` that ends it at this depth. */
  skip(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const v = this.tokens.kind(j) === PUNCT ? this.tokens.values[j] : undefined;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        if (depth === 0) return j;
        depth--;
      } else if (v === ',' && depth === 0) return j;
    }
    return -1;
  }
}

/** Token index ranges [from, to) of the proven elements (each with its comma) of the array opening at `open`. */
function provenElements(tokens: Tokens, open: number): [number, number][] {
  const data = new PlainData(tokens);
  const out: [number, number][] = [];
  let j = open + 1;
  while (j < tokens.length && !tokens.isPunct(j, ']')) {
    const proven = data.test(j);
    const end = proven >= 0 ? proven : data.skip(j);
    if (end < 0) return out;
    const next = tokens.value(end);
    const withComma = tokens.isPunct(end, ',') ? end + 1 : end;
    if (proven >= 0 && (withComma > end || next === ']')) out.push([j, withComma]);
    if (next !== ',' && next !== ']') return out;
    j = withComma;
  }
  return out;
}

/** Token indexes of the `[` of every RuleTest array (see the module comment). */
function testArrays(tokens: Tokens): number[] {
  const imported = namesFromSiemc(tokens);
  const out: number[] = [];
  const punct = (i: number, v: string): boolean => tokens.isPunct(i, v);
  const ident = (i: number, v: string): boolean => tokens.isIdent(i, v);
  const defineRule = imported.has('defineRule');
  const ruleTest = imported.has('RuleTest');
  for (let i = 0; i < tokens.length; i++) {
    // defineRule({ ... tests: [ ... ] ... })
    if (defineRule && ident(i, 'defineRule') && punct(i + 1, '(') && punct(i + 2, '{') && !punct(i - 1, '.')) {
      let depth = 0;
      for (let j = i + 2; j < tokens.length; j++) {
        const kind = tokens.kind(j);
        if (kind !== PUNCT && !(kind === IDENT || kind === STRING)) continue;
        const value = tokens.values[j];
        if (kind === PUNCT && (value === '(' || value === '[' || value === '{')) depth++;
        else if (kind === PUNCT && (value === ')' || value === ']' || value === '}')) {
          depth--;
          if (depth === 0) break;
        } else if (depth === 1 && value === 'tests' && punct(j + 1, ':') && punct(j + 2, '[') && (punct(j - 1, '{') || punct(j - 1, ','))) {
          out.push(j + 2);
        }
      }
    }
    // const tests: readonly RuleTest[] = [ ... ]
    if (ruleTest && punct(i, ':')) {
      let j = i + 1;
      if (ident(j, 'readonly')) j++;
      if (ident(j, 'RuleTest') && punct(j + 1, '[') && punct(j + 2, ']') && punct(j + 3, '=') && punct(j + 4, '[')) out.push(j + 4);
    }
  }
  return out;
}

/** Every proven element: its source range [start, end) (with its comma) and its first token. */
function provenRanges(text: string): { tokens: Tokens; ranges: { start: number; end: number; from: number; comma: boolean }[] } | undefined {
  if (!text.includes('siemc')) return undefined;
  const tokens = tokenize(text);
  const ranges: { start: number; end: number; from: number; comma: boolean }[] = [];
  for (const open of testArrays(tokens)) {
    for (const [from, to] of provenElements(tokens, open)) {
      if (from < tokens.length && to - 1 < tokens.length && to - 1 >= 0)
        ranges.push({ start: tokens.starts[from] as number, end: tokens.ends[to - 1] as number, from, comma: tokens.isPunct(to - 1, ',') });
    }
  }
  return ranges.length === 0 ? undefined : { tokens, ranges };
}

/** Spaces in place of every character but line breaks (U+2028 and U+2029 break lines for TypeScript and esbuild too). */
const blank = (s: string): string => (/[\n\r\u2028\u2029]/.test(s) ? s.replace(/[^\n\r\u2028\u2029]/g, ' ') : ' '.repeat(s.length));

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

/**
 * The text with every proven test element taken out; the same text object when there is none.
 * The line and column of everything left are unchanged (what TypeScript reports), not its
 * offset: an element leaves only its line breaks, and spaces up to its end where text follows
 * on its last line. A type check reads a tenth of a typical rule file.
 */
export function blankPlainTests(text: string): string {
  return blankProven(text, plainTestRanges(text));
}

/**
 * Where the proven test elements of a text are, as [start, end) pairs in one flat array: what
 * blankProven needs, small enough to hand to another thread (a build's type check is given the
 * proofs its main thread made while lifting, ./typecheck.ts, instead of proving them again).
 */
export function plainTestRanges(text: string): number[] {
  return flatRanges(provenRanges(text));
}

const flatRanges = (proven: ReturnType<typeof provenRanges>): number[] => proven?.ranges.flatMap(({ start, end }) => [start, end]) ?? [];

/** Told of a proof made (the file, its text, plainTestRanges of it), e.g. to pass it to a type check running meanwhile. */
export type ProofListener = (file: string, text: string, ranges: readonly number[]) => void;

/** blankPlainTests with the ranges plainTestRanges found in this very text. */
export function blankProven(text: string, ranges: readonly number[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i] as number;
    const end = ranges[i + 1] as number;
    parts.push(text.slice(at, start));
    let lineStart = start;
    for (const m of text.slice(start, end).matchAll(LINE_BREAK)) {
      parts.push(m[0]);
      lineStart = start + m.index + m[0].length;
    }
    const rest = /^[^\n\r\u2028\u2029]*/.exec(text.slice(end, end + 4096))?.[0] ?? '';
    if (rest.trim() !== '' || rest.length === 4096) parts.push(' '.repeat(end - lineStart));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The name lifted test elements are read from in a module's text (a parameter of the function that runs it). */
export const LIFTED_TESTS = '__siemc_tests';

/**
 * A module's text with its proven test elements lifted out (./modules.ts runs it): each element
 * becomes `__siemc_tests[k]` and its value, as the literal would build it, is `values[k]`. Most
 * of a rule file is its events, and the values are built here from the tokens the proof read,
 * instead of esbuild parsing and printing them and V8 compiling them (1,000 rules: 14 MB of
 * 15 MB). Every offset, line and column outside the elements is unchanged, so source maps and
 * problem locations are as for the original. An element stays as written where the reference
 * does not fit on one of its lines, or where JSON cannot carry its value (the values are cached
 * as JSON); a text that names `__siemc_tests` itself is left whole. `ranges` is the proof
 * (plainTestRanges of the text), undefined for a text left whole without one.
 */
export function liftPlainTests(text: string): { text: string; values: unknown[]; ranges: number[] | undefined } {
  if (text.includes(LIFTED_TESTS)) return { text, values: [], ranges: undefined };
  const proven = provenRanges(text);
  if (proven === undefined) return { text, values: [], ranges: [] };
  const data = new PlainData(proven.tokens);
  const values: unknown[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const { start, end, from, comma } of proven.ranges) {
    const reference = `${LIFTED_TESTS}[${values.length}]${comma ? ',' : ''}`;
    const element = text.slice(start, end);
    // The first line of the element long enough to hold the reference.
    let place = -1;
    for (const line of element.matchAll(/[^\n\r\u2028\u2029]+/g)) {
      if (line[0].length >= reference.length) {
        place = line.index;
        break;
      }
    }
    const value = place < 0 ? undefined : data.value(from);
    if (value === undefined) continue;
    values.push(value.value);
    const blanked = blank(element);
    parts.push(text.slice(at, start), blanked.slice(0, place), reference, blanked.slice(place + reference.length));
    at = end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), values, ranges: flatRanges(proven) };
}
