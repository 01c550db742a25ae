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

type TokenKind = 'ident' | 'string' | 'template' | 'number' | 'regex' | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Identifier name, punctuation, or a string's value (undefined when the string is not plain). */
  readonly value: string | undefined;
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
  let value = '';
  let plain = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) return { end: i + 1, value: plain ? value : undefined };
    if (c === 10 || c === 13) return { end: i, value: undefined };
    if (c !== 92) {
      value += text[i];
      i++;
      continue;
    }
    const e = text[i + 1] ?? '';
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', "'": "'", '"': '"', '\\': '\\' };
    if (e in simple) {
      value += simple[e];
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
  }
  return { end: i, value: undefined };
}

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

const PUNCT3 = ['...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??='];
const PUNCT2 = ['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '**'];

/** JavaScript/TypeScript tokens, without comments and whitespace. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // For each open `{`: whether it opened a template expression (its `}` resumes the template).
  const braces: boolean[] = [];
  let i = 0;
  const regexAllowed = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.kind === 'ident') return REGEX_AFTER_KEYWORD.has(last.value ?? '');
    if (last.kind === 'punct') return last.value !== ')' && last.value !== ']' && last.value !== '}' && last.value !== '++' && last.value !== '--';
    return false;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 11 || c === 12) {
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === 39 || c === 34) {
      const s = readString(text, i);
      tokens.push({ kind: 'string', start: i, end: s.end, value: s.value });
      i = s.end;
    } else if (c === 96) {
      const t = readTemplateChunk(text, i + 1);
      tokens.push({ kind: 'template', start: i, end: t.end, value: undefined });
      if (t.opensExpression) braces.push(true);
      i = t.end;
    } else if (c === 125 && braces[braces.length - 1] === true) {
      braces.pop();
      const t = readTemplateChunk(text, i + 1);
      tokens.push({ kind: 'template', start: i, end: t.end, value: undefined });
      if (t.opensExpression) braces.push(true);
      i = t.end;
    } else if (isIdentStart(c) || (c === 92 && text[i + 1] === 'u')) {
      let j = i + 1;
      while (j < text.length && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 92)) j++;
      tokens.push({ kind: 'ident', start: i, end: j, value: text.slice(i, j) });
      i = j;
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        const prev = text.charCodeAt(j - 1);
        if (isIdentPart(d) || d === 46 || ((d === 43 || d === 45) && (prev === 101 || prev === 69))) j++;
        else break;
      }
      tokens.push({ kind: 'number', start: i, end: j, value: text.slice(i, j) });
      i = j;
    } else if (c === 47 && regexAllowed()) {
      const end = readRegex(text, i);
      tokens.push({ kind: 'regex', start: i, end, value: undefined });
      i = end;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const p = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : text[i] as string;
      if (p === '{') braces.push(false);
      else if (p === '}') braces.pop();
      tokens.push({ kind: 'punct', start: i, end: i + p.length, value: p });
      i += p.length;
    }
  }
  return tokens;
}

/** Names imported from 'siemc' under their own names (`import { a, type B } from 'siemc'`). */
function namesFromSiemc(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.kind !== 'ident' || tokens[i]?.value !== 'import') continue;
    let j = i + 1;
    if (tokens[j]?.value === 'type') j++;
    if (tokens[j]?.value !== '{') continue;
    const close = tokens.findIndex((t, k) => k > j && t.value === '}');
    if (close < 0 || tokens[close + 1]?.value !== 'from' || tokens[close + 2]?.kind !== 'string' || tokens[close + 2]?.value !== 'siemc') continue;
    for (let k = j + 1; k < close; k++) {
      const t = tokens[k];
      const next = tokens[k + 1];
      if (t?.kind === 'ident' && t.value !== 'type' && (next?.value === ',' || next?.value === '}')) names.add(t.value ?? '');
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
  constructor(private readonly tokens: readonly Token[]) {}

  private is(i: number, value: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'punct' && t.value === value;
  }

  /** A key of an object literal: its canonical name, as TypeScript compares duplicates. */
  private key(i: number): string | undefined {
    const t = this.tokens[i];
    if (t === undefined) return undefined;
    if (t.kind === 'ident') return t.value?.includes('\\') === true ? undefined : t.value;
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number' && t.value !== undefined && NUMBER.test(t.value)) return String(Number(t.value));
    return undefined;
  }

  json(i: number): number {
    const t = this.tokens[i];
    if (t === undefined) return -1;
    if (t.kind === 'string') return t.value === undefined ? -1 : i + 1;
    if (t.kind === 'number') return t.value !== undefined && NUMBER.test(t.value) ? i + 1 : -1;
    if (t.kind === 'ident') return t.value === 'true' || t.value === 'false' || t.value === 'null' ? i + 1 : -1;
    if (this.is(i, '-') || this.is(i, '+')) return this.tokens[i + 1]?.kind === 'number' ? this.json(i + 1) : -1;
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
      const v = this.tokens[j + 2];
      if (k === 'name') j = v?.kind === 'string' && v.value !== undefined ? j + 3 : -1;
      else if (k === 'expect') j = v?.kind === 'string' && v.value !== undefined && VERDICTS.has(v.value) ? j + 3 : -1;
      else if (k === 'event') j = this.json(j + 2);
      else return -1;
      if (j < 0) return -1;
      if (this.is(j, ',')) j++;
      else if (!this.is(j, '}')) return -1;
    }
    return TEST_KEYS.every((k) => seen.has(k)) ? j + 1 : -1;
  }

  /** Skips one expression of unknown shape up to the `,` or `]` that ends it at this depth. */
  skip(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const v = this.tokens[j]?.kind === 'punct' ? this.tokens[j]?.value : undefined;
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
function provenElements(tokens: readonly Token[], open: number): [number, number][] {
  const data = new PlainData(tokens);
  const out: [number, number][] = [];
  let j = open + 1;
  while (tokens[j] !== undefined && !(tokens[j]?.kind === 'punct' && tokens[j]?.value === ']')) {
    const proven = data.test(j);
    const end = proven >= 0 ? proven : data.skip(j);
    if (end < 0) return out;
    const next = tokens[end];
    const withComma = next?.kind === 'punct' && next.value === ',' ? end + 1 : end;
    if (proven >= 0 && (withComma > end || next?.value === ']')) out.push([j, withComma]);
    if (next?.value !== ',' && next?.value !== ']') return out;
    j = withComma;
  }
  return out;
}

/** Token indexes of the `[` of every RuleTest array (see the module comment). */
function testArrays(tokens: readonly Token[]): number[] {
  const imported = namesFromSiemc(tokens);
  const out: number[] = [];
  const punct = (i: number, v: string): boolean => tokens[i]?.kind === 'punct' && tokens[i]?.value === v;
  const ident = (i: number, v: string): boolean => tokens[i]?.kind === 'ident' && tokens[i]?.value === v;
  for (let i = 0; i < tokens.length; i++) {
    // defineRule({ ... tests: [ ... ] ... })
    if (imported.has('defineRule') && ident(i, 'defineRule') && punct(i + 1, '(') && punct(i + 2, '{') && !punct(i - 1, '.')) {
      let depth = 0;
      for (let j = i + 2; j < tokens.length; j++) {
        const t = tokens[j] as Token;
        if (t.kind !== 'punct' && !(t.kind === 'ident' || t.kind === 'string')) continue;
        if (t.kind === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) depth++;
        else if (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === '}')) {
          depth--;
          if (depth === 0) break;
        } else if (depth === 1 && t.value === 'tests' && punct(j + 1, ':') && punct(j + 2, '[') && (punct(j - 1, '{') || punct(j - 1, ','))) {
          out.push(j + 2);
        }
      }
    }
    // const tests: readonly RuleTest[] = [ ... ]
    if (imported.has('RuleTest') && punct(i, ':')) {
      let j = i + 1;
      if (ident(j, 'readonly')) j++;
      if (ident(j, 'RuleTest') && punct(j + 1, '[') && punct(j + 2, ']') && punct(j + 3, '=') && punct(j + 4, '[')) out.push(j + 4);
    }
  }
  return out;
}

/**
 * The text with every proven test element blanked; the same text object when there is none.
 * Offsets, lines and columns of everything left are unchanged.
 */
export function blankPlainTests(text: string): string {
  if (!text.includes('siemc')) return text;
  const tokens = tokenize(text);
  const ranges: [number, number][] = [];
  for (const open of testArrays(tokens)) {
    for (const [from, to] of provenElements(tokens, open)) {
      const first = tokens[from];
      const last = tokens[to - 1];
      if (first !== undefined && last !== undefined) ranges.push([first.start, last.end]);
    }
  }
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\n\r]/g, ' ');
    at = end;
  }
  return out + text.slice(at);
}
