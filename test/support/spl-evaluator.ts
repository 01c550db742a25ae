/**
 * An evaluator for the SPL subset the spl backend emits, written from Splunk's documented rules
 * (target-semantics.md §4, §9), not from the backend's code:
 *
 * - `search`: terms joined by implicit or explicit AND, with OR binding TIGHTER than AND (S7),
 *   NOT applying to the next term; `f=v` compares ignoring case with `*` as the only wildcard
 *   (`?` is literal, S3) and no escape for `*` (S4); `f!=v` needs the field (S1); `f=*` means
 *   the field has a value; `f IN (...)`; `f>5` compares numbers; `f="10.0.0.0/8"` is CIDR (S6).
 * - `| where`: eval logic with null (a function of a missing field is null, `NOT null` is null,
 *   and `where` keeps only true), AND binding tighter than OR, case-sensitive comparisons,
 *   `match()` as PCRE (unanchored; `(?i)` ignores case; `$` also matches before a final newline;
 *   `.` does not cross `\n` without `(?s)`), `isnull`, `isnotnull`, `like`, `cidrmatch`, `mvfilter`.
 * - Field values are read like the reference evaluator (src/eval/values.ts): dotted paths,
 *   arrays give several values (a multivalue field), numbers and booleans as their JSON text.
 *   A multivalue field satisfies a comparison or `match()` when any of its values does.
 * - Case folding: the IR folds ASCII letters only; Splunk's is not documented. This evaluator
 *   takes the widest plausible reading, so anything exact here is exact under narrower ones:
 *   `search` equates characters equal under JavaScript's Unicode case folding or after single-
 *   character lower- or upper-casing (so `ı`~`i`, `ſ`~`s`, `K` (Kelvin)~`k`, `é`~`É`); PCRE's `(?i)`
 *   follows Unicode simple case folding (PCRE2 in UTF mode), like JavaScript's `iu`.
 * - Comments (three backticks) are replaced by a space before anything else, as Splunk does;
 *   any other backtick is an error (it would start a macro).
 */
import { cidrContains, parseCidr } from '../../src/ir/cidr.js';
import { asKeyword, asNumber, fieldValues, type Json } from '../../src/eval/values.js';
import { globMatchesWith } from '../../src/eval/glob.js';
import { ANY_RUN, literalPart, makePattern } from '../../src/ir/pattern.js';

export interface SplMeta {
  readonly index: string;
  readonly sourcetype?: string;
}

// ---------------------------------------------------------------------------------------------
// Strings and case folding

/** Reads an SPL double-quoted string starting at `start` (the opening quote): `\\` and `\"` are escapes; any other backslash stays. */
export function readSplString(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new Error(`expected a string at ${start}`);
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"')) {
      value += text[i + 1];
      i += 2;
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  throw new Error('unterminated string');
}

function single(s: string): number | undefined {
  const cps = Array.from(s);
  return cps.length === 1 ? cps[0]?.codePointAt(0) : undefined;
}

const foldRegexes = new Map<number, RegExp>();

/** Equal under JavaScript's `iu` matching (Unicode simple case folding). */
function jsFoldEqual(a: number, b: number): boolean {
  let re = foldRegexes.get(a);
  if (re === undefined) {
    re = new RegExp(`^${escapeJs(a)}$`, 'iu');
    foldRegexes.set(a, re);
  }
  return re.test(String.fromCodePoint(b));
}

/** `search`'s case-insensitive character equality (the widest plausible reading, see the header). */
export function searchSameChar(a: number, b: number): boolean {
  if (a === b) return true;
  const sa = String.fromCodePoint(a);
  const sb = String.fromCodePoint(b);
  const la = single(sa.toLowerCase());
  const lb = single(sb.toLowerCase());
  if (la !== undefined && la === lb) return true;
  const ua = single(sa.toUpperCase());
  const ub = single(sb.toUpperCase());
  if (ua !== undefined && ua === ub) return true;
  return jsFoldEqual(a, b);
}

function escapeJs(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

// ---------------------------------------------------------------------------------------------
// PCRE (the subset match() needs) as a JavaScript RegExp

let caselessGroups: Map<string, number[]> | undefined;

function foldKey(cp: number): string {
  const s = String.fromCodePoint(cp);
  const up = s.toUpperCase();
  const u = single(up) === undefined ? s : up;
  const low = u.toLowerCase();
  return single(low) === undefined ? u : low;
}

/** Every code point PCRE's `(?i)` (Unicode simple case folding) equates with `cp`. */
export function caselessSet(cp: number): number[] {
  if (caselessGroups === undefined) {
    caselessGroups = new Map();
    for (let c = 0; c <= 0x1ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const k = foldKey(c);
      const list = caselessGroups.get(k);
      if (list === undefined) caselessGroups.set(k, [c]);
      else list.push(c);
    }
  }
  const group = caselessGroups.get(foldKey(cp)) ?? [cp];
  const out = group.filter((d) => d === cp || jsFoldEqual(cp, d));
  return out.includes(cp) ? out : [cp, ...out];
}

function jsLiteral(cp: number, caseless: boolean): string {
  if (!caseless) return escapeJs(cp);
  const set = caselessSet(cp);
  return set.length === 1 ? escapeJs(cp) : `[${set.map(escapeJs).join('')}]`;
}

const regexCache = new Map<string, RegExp>();

/**
 * Translates PCRE to a JavaScript RegExp with the same matches. Node 20 has no inline flag
 * groups, so when `(?-i:...)` appears inside a `(?i)` regex, case-insensitive characters are
 * expanded into classes of their caseless sets.
 */
export function pcreToJs(pcre: string): RegExp {
  const cached = regexCache.get(pcre);
  if (cached !== undefined) return cached;
  let i = 0;
  let flagI = false;
  let flagS = false;
  const lead = /^\(\?([a-z]+)\)/.exec(pcre);
  if (lead) {
    for (const f of lead[1] as string) {
      if (f === 'i') flagI = true;
      else if (f === 's') flagS = true;
      else throw new Error(`unsupported PCRE flag ${f}`);
    }
    i = lead[0].length;
  }
  const manual = flagI && /\(\?-?i:/.test(pcre);
  const stack: boolean[] = [flagI];
  const ci = (): boolean => manual && (stack[stack.length - 1] as boolean);
  let out = '';
  while (i < pcre.length) {
    const c = pcre[i] as string;
    if (c === '\\') {
      const n = pcre[i + 1];
      if (n === undefined) throw new Error('trailing backslash');
      if (n === 'z') {
        out += '$';
        i += 2;
      } else if (n === 'A') {
        out += '^';
        i += 2;
      } else if (n === 'Q' || n === 'E' || n === 'Z' || n === 'G' || n === 'K') {
        throw new Error(`unsupported PCRE escape \\${n}`);
      } else if (n === 'x') {
        const m = /^\\x(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(pcre.slice(i));
        if (!m) throw new Error('bad \\x escape');
        out += jsLiteral(parseInt((m[1] ?? m[2]) as string, 16), ci());
        i += m[0].length;
      } else if (/[A-Za-z0-9]/.test(n)) {
        out += `\\${n}`;
        i += 2;
      } else {
        out += jsLiteral(n.codePointAt(0) ?? 0, ci());
        i += 2;
      }
    } else if (c === '[') {
      if (ci()) throw new Error('a character class under (?i) needs inline flags, which this evaluator does not model');
      let j = i + 1;
      let body = '[';
      if (pcre[j] === '^') {
        body += '^';
        j++;
      }
      while (j < pcre.length && pcre[j] !== ']') {
        if (pcre[j] === '\\') {
          const m = /^\\x\{([0-9a-fA-F]+)\}/.exec(pcre.slice(j));
          if (m) {
            body += escapeJs(parseInt(m[1] as string, 16));
            j += m[0].length;
          } else {
            body += pcre.slice(j, j + 2);
            j += 2;
          }
        } else {
          const ch = String.fromCodePoint(pcre.codePointAt(j) ?? 0);
          body += ch === '[' || ch === '/' ? `\\${ch}` : ch;
          j += ch.length;
        }
      }
      if (pcre[j] !== ']') throw new Error('unterminated class');
      out += `${body}]`;
      i = j + 1;
    } else if (c === '(') {
      const m = /^\((?:\?(?:-i:|i:|:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>))?/.exec(pcre.slice(i)) as RegExpExecArray;
      const text = m[0];
      if (pcre[i + 1] === '?' && text === '(') throw new Error(`unsupported group ${pcre.slice(i, i + 4)}`);
      if (text === '(?-i:') stack.push(false);
      else if (text === '(?i:') stack.push(true);
      else stack.push(stack[stack.length - 1] as boolean);
      out += text === '(?-i:' || text === '(?i:' ? '(?:' : text;
      i += text.length;
    } else if (c === ')') {
      stack.pop();
      if (stack.length === 0) throw new Error('unbalanced )');
      out += ')';
      i++;
    } else if (c === '$') {
      // PCRE without multiline: the end, or just before a newline that ends the subject.
      out += '(?=\\n?$)';
      i++;
    } else if (c === '.') {
      out += flagS ? '.' : '[^\\n]';
      i++;
    } else if (c === '{') {
      const m = /^\{\d+(?:,\d*)?\}/.exec(pcre.slice(i));
      out += m ? m[0] : '\\{';
      i += m ? m[0].length : 1;
    } else if ('^|*+?'.includes(c)) {
      out += c;
      i++;
    } else {
      const cp = pcre.codePointAt(i) ?? 0;
      out += jsLiteral(cp, ci());
      i += cp > 0xffff ? 2 : 1;
    }
  }
  const re = new RegExp(out, `u${flagS ? 's' : ''}${flagI && !manual ? 'i' : ''}`);
  regexCache.set(pcre, re);
  return re;
}

// ---------------------------------------------------------------------------------------------
// Pipeline

export type SearchExpr =
  | { readonly kind: 'and' | 'or'; readonly children: readonly SearchExpr[] }
  | { readonly kind: 'not'; readonly child: SearchExpr }
  | { readonly kind: 'cmp'; readonly field: string; readonly op: string; readonly value: string }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly string[] };

export type EvalExpr =
  | { readonly kind: 'or' | 'and'; readonly left: EvalExpr; readonly right: EvalExpr }
  | { readonly kind: 'not'; readonly child: EvalExpr }
  | { readonly kind: 'cmp'; readonly op: string; readonly left: EvalExpr; readonly right: EvalExpr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly EvalExpr[] }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'num'; readonly value: number };

export interface SplQuery {
  readonly search: SearchExpr;
  readonly where: readonly EvalExpr[];
}

/** Replaces comments with a space; a lone backtick is a macro call, which the subset does not have. */
export function stripComments(text: string): string {
  const out = text.replace(/```[\s\S]*?```/g, ' ');
  if (out.includes('`')) throw new Error('backtick outside a comment');
  return out;
}

/** Splits at `|` outside double- and single-quoted strings. */
function commands(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      current += text.slice(i, j + 1);
      i = j;
    } else if (c === '|') {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

export function parseSpl(text: string): SplQuery {
  const [first, ...rest] = commands(stripComments(text));
  const m = /^\s*search\s([\s\S]*)$/.exec(first ?? '');
  if (!m) throw new Error('the query must start with `search`');
  const search = new SearchParser(m[1] as string).parseAll();
  const where = rest.map((cmd) => {
    const w = /^\s*where\s([\s\S]*)$/.exec(cmd);
    if (!w) throw new Error(`unsupported command: ${cmd.trim().split(/\s/)[0] ?? ''}`);
    return new EvalParser(w[1] as string).parseAll();
  });
  return { search, where };
}

// ---------------------------------------------------------------------------------------------
// search

type SearchToken = { readonly t: '(' | ')' | ',' } | { readonly t: 'op'; readonly v: string } | { readonly t: 'str' | 'word'; readonly v: string };

function lexSearch(src: string): SearchToken[] {
  const out: SearchToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      const { value, end } = readSplString(src, i);
      out.push({ t: 'str', v: value });
      i = end;
    } else if ('=!<>'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : c;
      if (op === '!') throw new Error('lone !');
      out.push({ t: 'op', v: op });
      i += op.length;
    } else {
      let j = i;
      while (j < src.length && !/[\s(),"=!<>]/.test(src[j] as string)) j++;
      out.push({ t: 'word', v: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

class SearchParser {
  private readonly tokens: SearchToken[];
  private pos = 0;
  constructor(src: string) {
    this.tokens = lexSearch(src);
  }
  private peek(): SearchToken | undefined {
    return this.tokens[this.pos];
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v === v;
  }
  private next(): SearchToken {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new Error('unexpected end of search');
    return t;
  }
  parseAll(): SearchExpr {
    const e = this.parseAnd();
    if (this.pos !== this.tokens.length) throw new Error(`unexpected ${JSON.stringify(this.peek())}`);
    return e;
  }
  /** The loosest level: terms side by side (or with AND). */
  private parseAnd(): SearchExpr {
    const terms = [this.parseOr()];
    while (this.peek() !== undefined && this.peek()?.t !== ')') {
      if (this.isWord('AND')) this.pos++;
      terms.push(this.parseOr());
    }
    return terms.length === 1 ? (terms[0] as SearchExpr) : { kind: 'and', children: terms };
  }
  /** OR binds tighter than AND in `search`. */
  private parseOr(): SearchExpr {
    const items = [this.parseNot()];
    while (this.isWord('OR')) {
      this.pos++;
      items.push(this.parseNot());
    }
    return items.length === 1 ? (items[0] as SearchExpr) : { kind: 'or', children: items };
  }
  private parseNot(): SearchExpr {
    if (this.isWord('NOT')) {
      this.pos++;
      return { kind: 'not', child: this.parseNot() };
    }
    return this.parsePrimary();
  }
  private value(): string {
    const t = this.next();
    if (t.t !== 'str' && t.t !== 'word') throw new Error(`expected a value, got ${JSON.stringify(t)}`);
    return t.v;
  }
  private parsePrimary(): SearchExpr {
    const t = this.next();
    if (t.t === '(') {
      const e = this.parseAnd();
      if (this.next().t !== ')') throw new Error('expected )');
      return e;
    }
    if (t.t !== 'word' && t.t !== 'str') throw new Error(`expected a term, got ${JSON.stringify(t)}`);
    if (t.t === 'word' && ['AND', 'OR', 'NOT', 'IN'].includes(t.v)) throw new Error(`unexpected ${t.v}`);
    const field = t.v;
    if (this.isWord('IN')) {
      this.pos++;
      if (this.next().t !== '(') throw new Error('expected ( after IN');
      const values = [this.value()];
      while (this.peek()?.t === ',') {
        this.pos++;
        values.push(this.value());
      }
      if (this.next().t !== ')') throw new Error('expected ) after IN list');
      return { kind: 'in', field, values };
    }
    const op = this.next();
    if (op.t !== 'op') throw new Error(`bare search terms are not in the subset (after ${field})`);
    return { kind: 'cmp', field, op: op.v, value: this.value() };
  }
}

/** Whole-value match ignoring case, `*` the only wildcard (`?` is literal in `search`). */
export function searchGlob(pattern: string, value: string): boolean {
  const parts = pattern.split('*').flatMap((text, i) => (i === 0 ? [literalPart(text)] : [ANY_RUN, literalPart(text)]));
  return globMatchesWith(makePattern(parts), value, searchSameChar);
}

function isCidrLiteral(v: string): boolean {
  return /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(v) && parseCidr(v) !== undefined;
}

function searchValueMatches(pattern: string, value: string): boolean {
  if (isCidrLiteral(pattern)) return cidrContains(pattern, value);
  return searchGlob(pattern, value);
}

function valuesOf(event: Json, field: string, meta: SplMeta): string[] {
  if (field === 'index') return [meta.index];
  if (field === 'sourcetype') return meta.sourcetype === undefined ? [] : [meta.sourcetype];
  return fieldValues(event, field).map(asKeyword);
}

function numericCompare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    default: throw new Error(`unknown operator ${op}`);
  }
}

export function evaluateSearch(e: SearchExpr, event: Json, meta: SplMeta): boolean {
  switch (e.kind) {
    case 'and':
      return e.children.every((c) => evaluateSearch(c, event, meta));
    case 'or':
      return e.children.some((c) => evaluateSearch(c, event, meta));
    case 'not':
      return !evaluateSearch(e.child, event, meta);
    case 'in': {
      const vs = valuesOf(event, e.field, meta);
      return vs.some((v) => e.values.some((p) => searchValueMatches(p, v)));
    }
    case 'cmp': {
      const vs = valuesOf(event, e.field, meta);
      switch (e.op) {
        case '=':
          return vs.some((v) => searchValueMatches(e.value, v));
        case '!=':
          // Only events that have the field (S1); `f!=*` therefore matches nothing.
          return vs.length > 0 && !vs.some((v) => searchValueMatches(e.value, v));
        default: {
          const bound = Number(e.value);
          if (!Number.isFinite(bound)) throw new Error(`not a number: ${e.value}`);
          return vs.some((v) => {
            const n = asNumber(v);
            return n !== undefined && numericCompare(e.op, n, bound);
          });
        }
      }
    }
    default:
      throw new Error('unknown search node');
  }
}

// ---------------------------------------------------------------------------------------------
// where (eval expressions)

type EvalToken =
  | { readonly t: '(' | ')' | ',' }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'str' | 'field' | 'ident'; readonly v: string }
  | { readonly t: 'num'; readonly v: number };

function lexEval(src: string): EvalToken[] {
  const out: EvalToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      const { value, end } = readSplString(src, i);
      out.push({ t: 'str', v: value });
      i = end;
    } else if (c === "'") {
      let j = i + 1;
      let name = '';
      while (j < src.length && src[j] !== "'") {
        if (src[j] === '\\' && (src[j + 1] === "'" || src[j + 1] === '\\')) {
          name += src[j + 1];
          j += 2;
        } else {
          name += src[j];
          j++;
        }
      }
      if (src[j] !== "'") throw new Error('unterminated field name');
      out.push({ t: 'field', v: name });
      i = j + 1;
    } else if ('=!<>'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : c;
      if (op === '!') throw new Error('lone !');
      out.push({ t: 'op', v: op });
      i += op.length;
    } else if (/[-0-9.]/.test(c)) {
      const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new Error(`bad number at ${src.slice(i, i + 10)}`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unexpected character ${c} in eval expression`);
    }
  }
  return out;
}

class EvalParser {
  private readonly tokens: EvalToken[];
  private pos = 0;
  constructor(src: string) {
    this.tokens = lexEval(src);
  }
  private peek(): EvalToken | undefined {
    return this.tokens[this.pos];
  }
  private isIdent(v: string): boolean {
    const t = this.peek();
    return t?.t === 'ident' && t.v === v;
  }
  private next(): EvalToken {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new Error('unexpected end of expression');
    return t;
  }
  parseAll(): EvalExpr {
    const e = this.parseOr();
    if (this.pos !== this.tokens.length) throw new Error(`unexpected ${JSON.stringify(this.peek())}`);
    return e;
  }
  private parseOr(): EvalExpr {
    let left = this.parseAnd();
    while (this.isIdent('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }
  /** AND binds tighter than OR in eval (unlike `search`). */
  private parseAnd(): EvalExpr {
    let left = this.parseNot();
    while (this.isIdent('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }
  private parseNot(): EvalExpr {
    if (this.isIdent('NOT')) {
      this.pos++;
      return { kind: 'not', child: this.parseNot() };
    }
    return this.parseCmp();
  }
  private parseCmp(): EvalExpr {
    const left = this.parseAtom();
    const t = this.peek();
    if (t?.t === 'op') {
      this.pos++;
      return { kind: 'cmp', op: t.v, left, right: this.parseAtom() };
    }
    return left;
  }
  private parseAtom(): EvalExpr {
    const t = this.next();
    switch (t.t) {
      case '(': {
        const e = this.parseOr();
        if (this.next().t !== ')') throw new Error('expected )');
        return e;
      }
      case 'str':
        return { kind: 'str', value: t.v };
      case 'num':
        return { kind: 'num', value: t.v };
      case 'field':
        return { kind: 'field', name: t.v };
      case 'ident': {
        if (['AND', 'OR', 'NOT'].includes(t.v)) throw new Error(`unexpected ${t.v}`);
        if (this.peek()?.t !== '(') return { kind: 'field', name: t.v };
        this.pos++;
        const args: EvalExpr[] = [];
        if (this.peek()?.t !== ')') {
          args.push(this.parseOr());
          while (this.peek()?.t === ',') {
            this.pos++;
            args.push(this.parseOr());
          }
        }
        if (this.next().t !== ')') throw new Error('expected ) after arguments');
        return { kind: 'call', name: t.v, args };
      }
      default:
        throw new Error(`unexpected ${JSON.stringify(t)}`);
    }
  }
}

/** An eval value: null, a boolean, a number, a string, or a field's values (one or more). */
type Value = null | boolean | number | string | { readonly mv: readonly string[] };

function texts(v: Value): (string | number)[] {
  if (v === null || typeof v === 'boolean') throw new Error('expected a value');
  if (typeof v === 'object') return [...v.mv];
  return [v];
}

function truth(v: Value): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  throw new Error(`expected a boolean, got ${JSON.stringify(v)}`);
}

function compare(op: string, a: string | number, b: string | number): boolean {
  const na = typeof a === 'number' ? a : asNumber(a);
  const nb = typeof b === 'number' ? b : asNumber(b);
  // Numbers compare as numbers when both sides are numeric; a string literal stays a string.
  if (typeof b === 'number' || typeof a === 'number') {
    return na !== undefined && nb !== undefined && numericCompare(op, na, nb);
  }
  const sa = String(a);
  const sb = String(b);
  switch (op) {
    case '=': case '==': return sa === sb;
    case '!=': return sa !== sb;
    case '<': return sa < sb;
    case '<=': return sa <= sb;
    case '>': return sa > sb;
    case '>=': return sa >= sb;
    default: throw new Error(`unknown operator ${op}`);
  }
}

function likeToRegex(pattern: string): RegExp {
  let src = '^';
  for (const ch of pattern) src += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : escapeJs(ch.codePointAt(0) ?? 0);
  return new RegExp(`${src}$`, 'u');
}

function fieldsIn(e: EvalExpr, out: Set<string>): void {
  switch (e.kind) {
    case 'field': out.add(e.name); break;
    case 'or': case 'and': fieldsIn(e.left, out); fieldsIn(e.right, out); break;
    case 'not': fieldsIn(e.child, out); break;
    case 'cmp': fieldsIn(e.left, out); fieldsIn(e.right, out); break;
    case 'call': e.args.forEach((a) => fieldsIn(a, out)); break;
    default: break;
  }
}

type Lookup = (name: string) => readonly string[];

function evalExpr(e: EvalExpr, lookup: Lookup): Value {
  switch (e.kind) {
    case 'str': return e.value;
    case 'num': return e.value;
    case 'field': {
      const vs = lookup(e.name);
      return vs.length === 0 ? null : { mv: vs };
    }
    case 'not': {
      const v = truth(evalExpr(e.child, lookup));
      return v === null ? null : !v;
    }
    case 'and': {
      const l = truth(evalExpr(e.left, lookup));
      const r = truth(evalExpr(e.right, lookup));
      if (l === false || r === false) return false;
      return l === null || r === null ? null : true;
    }
    case 'or': {
      const l = truth(evalExpr(e.left, lookup));
      const r = truth(evalExpr(e.right, lookup));
      if (l === true || r === true) return true;
      return l === null || r === null ? null : false;
    }
    case 'cmp': {
      const l = evalExpr(e.left, lookup);
      const r = evalExpr(e.right, lookup);
      if (l === null || r === null) return null;
      return texts(l).some((a) => texts(r).some((b) => compare(e.op, a, b)));
    }
    case 'call':
      return call(e.name, e.args, lookup);
    default:
      throw new Error('unknown eval node');
  }
}

function call(name: string, args: readonly EvalExpr[], lookup: Lookup): Value {
  const arg = (i: number): Value => {
    const a = args[i];
    if (a === undefined) throw new Error(`${name}: missing argument ${i + 1}`);
    return evalExpr(a, lookup);
  };
  const arity = (n: number): void => {
    if (args.length !== n) throw new Error(`${name} takes ${n} arguments`);
  };
  switch (name) {
    case 'isnull':
      arity(1);
      return arg(0) === null;
    case 'isnotnull':
      arity(1);
      return arg(0) !== null;
    case 'match': {
      arity(2);
      const x = arg(0);
      const re = arg(1);
      if (typeof re !== 'string') throw new Error('match: the regex must be a string');
      if (x === null) return null;
      const js = pcreToJs(re);
      return texts(x).some((v) => js.test(String(v)));
    }
    case 'like': {
      arity(2);
      const x = arg(0);
      const p = arg(1);
      if (typeof p !== 'string') throw new Error('like: the pattern must be a string');
      if (x === null) return null;
      const re = likeToRegex(p);
      return texts(x).some((v) => re.test(String(v)));
    }
    case 'cidrmatch': {
      arity(2);
      const c = arg(0);
      const x = arg(1);
      if (typeof c !== 'string') throw new Error('cidrmatch: the CIDR must be a string');
      if (x === null) return null;
      return texts(x).some((v) => cidrContains(c, String(v)));
    }
    case 'mvfilter': {
      arity(1);
      const expr = args[0] as EvalExpr;
      const names = new Set<string>();
      fieldsIn(expr, names);
      if (names.size !== 1) throw new Error('mvfilter: the expression must name exactly one field');
      const [only] = [...names] as [string];
      const kept = lookup(only).filter((v) => evalExpr(expr, (n) => (n === only ? [v] : lookup(n))) === true);
      return kept.length === 0 ? null : { mv: kept };
    }
    case 'mvcount': {
      arity(1);
      const x = arg(0);
      return x === null ? null : texts(x).length;
    }
    default:
      throw new Error(`function ${name} is not in the subset`);
  }
}

export function evaluateWhere(e: EvalExpr, event: Json): boolean {
  return evalExpr(e, (name) => fieldValues(event, name).map(asKeyword)) === true;
}

// ---------------------------------------------------------------------------------------------

export function evaluateSpl(query: SplQuery, event: Json, meta: SplMeta): boolean {
  return evaluateSearch(query.search, event, meta) && query.where.every((w) => evaluateWhere(w, event));
}

/** `parse`, remembering each text's result: the same query is evaluated against many events. */
function parsedOnce<T>(parse: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) known.set(text, (value = parse(text)));
    return value;
  };
}

const parsedQuery = parsedOnce(parseSpl);

/** Parses (once) and evaluates an SPL query against an event that came from `meta`'s index. */
export function splMatches(text: string, event: Json, meta: SplMeta): boolean {
  return evaluateSpl(parsedQuery(text), event, meta);
}

// ---------------------------------------------------------------------------------------------
// Pipelines with regex, rex and eval (what pySigma's Splunk backend writes for `|re`)

/**
 * One command after the first `search`, as Splunk documents it:
 * - `regex F="pcre"` keeps events where some value of F matches (unanchored PCRE); `regex F!="pcre"`
 *   keeps events where none does, including events without F (the command drops only matches).
 * - `rex field=F "(?<N>...)"` sets N to the first match's named group in F's first matching value,
 *   and leaves N unset (null) when F is missing or nothing matches.
 * - `eval N=if(COND, "a", "b")` sets N from an eval condition (null counts as false in `if`).
 * - `search ...` and `where ...` as in the first command.
 */
export type SplStage =
  | { readonly kind: 'search'; readonly expr: SearchExpr }
  | { readonly kind: 'where'; readonly expr: EvalExpr }
  | { readonly kind: 'regex'; readonly field: string; readonly negated: boolean; readonly regex: string }
  | { readonly kind: 'rex'; readonly field: string; readonly regex: string }
  | { readonly kind: 'eval'; readonly name: string; readonly cond: EvalExpr; readonly then: string; readonly otherwise: string };

export function parseSplPipeline(text: string): SplStage[] {
  const [first, ...rest] = commands(stripComments(text));
  const m = /^\s*search\s([\s\S]*)$/.exec(first ?? '');
  if (!m) throw new Error('the query must start with `search`');
  const head = (m[1] as string).trim();
  const stages: SplStage[] = head === '' || head === '*' ? [] : [{ kind: 'search', expr: new SearchParser(head).parseAll() }];
  for (const cmd of rest) {
    const [, name = '', body = ''] = /^\s*(\w+)\s([\s\S]*)$/.exec(cmd) ?? [];
    switch (name) {
      case 'search':
        stages.push({ kind: 'search', expr: new SearchParser(body).parseAll() });
        break;
      case 'where':
        stages.push({ kind: 'where', expr: new EvalParser(body).parseAll() });
        break;
      case 'regex': {
        const r = /^\s*([^\s!=]+)\s*(!?=)\s*(?=")/.exec(body);
        if (!r) throw new Error(`regex without a field: ${body.slice(0, 40)}`);
        const { value, end } = readSplString(body, r[0].length);
        if (body.slice(end).trim() !== '') throw new Error('text after the regex');
        stages.push({ kind: 'regex', field: r[1] as string, negated: r[2] === '!=', regex: value });
        break;
      }
      case 'rex': {
        const r = /^\s*field=(\S+)\s+(?=")/.exec(body);
        if (!r) throw new Error(`rex without field=: ${body.slice(0, 40)}`);
        const { value, end } = readSplString(body, r[0].length);
        if (body.slice(end).trim() !== '') throw new Error('text after the rex regex');
        // `(?<N>(?i)...)`: flags at the start of the only group apply to the whole regex (PCRE).
        stages.push({ kind: 'rex', field: r[1] as string, regex: value.replace(/^\(\?<(\w+)>\(\?([a-z]+)\)/, '(?$2)(?<$1>') });
        break;
      }
      case 'eval': {
        const r = /^\s*(\w+)\s*=\s*if\(([\s\S]*)\)\s*$/.exec(body);
        if (!r) throw new Error(`eval outside the subset: ${body.slice(0, 40)}`);
        const call = new EvalParser(`if(${r[2] as string})`).parseAll();
        if (call.kind !== 'call' || call.args.length !== 3) throw new Error('if takes 3 arguments');
        const [cond, a, b] = call.args as [EvalExpr, EvalExpr, EvalExpr];
        if (a.kind !== 'str' || b.kind !== 'str') throw new Error('if: string results only');
        stages.push({ kind: 'eval', name: r[1] as string, cond, then: a.value, otherwise: b.value });
        break;
      }
      default:
        throw new Error(`unsupported command: ${name}`);
    }
  }
  return stages;
}

/** The first named group of a rex regex, and the regex without its name (JavaScript keeps named groups, so the name stays). */
function rexGroup(regex: string): string {
  const m = /\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(regex);
  if (!m) throw new Error('rex regex without a named group');
  return m[1] as string;
}

export function evaluateSplPipeline(stages: readonly SplStage[], event: Json, meta: SplMeta): boolean {
  // Fields set by rex and eval, read before the event's own.
  const set = new Map<string, string | null>();
  const withSet = (): Json => (set.size === 0 ? event : { ...(event as object), ...Object.fromEntries([...set].filter(([, v]) => v !== null)) } as Json);
  for (const s of stages) {
    const current = withSet();
    switch (s.kind) {
      case 'search':
        if (!evaluateSearch(s.expr, current, meta)) return false;
        break;
      case 'where':
        if (!evaluateWhere(s.expr, current)) return false;
        break;
      case 'regex': {
        const re = pcreToJs(s.regex);
        const hit = fieldValues(current, s.field).map(asKeyword).some((v) => re.test(v));
        if (hit === s.negated) return false;
        break;
      }
      case 'rex': {
        const name = rexGroup(s.regex);
        const re = pcreToJs(s.regex);
        let found: string | null = null;
        for (const v of fieldValues(current, s.field).map(asKeyword)) {
          const m = re.exec(v);
          if (m?.groups?.[name] !== undefined) {
            found = m.groups[name] as string;
            break;
          }
        }
        set.set(name, found);
        break;
      }
      case 'eval':
        set.set(s.name, evaluateWhere(s.cond, current) ? s.then : s.otherwise);
        break;
      default:
        throw new Error('unknown stage');
    }
  }
  return true;
}

const parsedPipeline = parsedOnce(parseSplPipeline);

/** Like splMatches, for pipelines with regex, rex, eval and search commands too. */
export function splPipelineMatches(text: string, event: Json, meta: SplMeta): boolean {
  return evaluateSplPipeline(parsedPipeline(text), event, meta);
}
