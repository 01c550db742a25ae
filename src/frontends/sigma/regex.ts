/**
 * Sigma `|re` values to the IR's portable regex subset (docs/semantics.md). A Sigma regex is a
 * PCRE-style search: it matches anywhere in the value unless anchored, `.` stops at a newline
 * unless `|s`, `$` also matches before a final newline, `|m` makes `^`/`$` line anchors. The IR
 * matches the whole value with `.` crossing newlines, so the lowering is:
 * - unanchored ends get `.*`; `^` drops it; `$` becomes an optional final newline (`|m`: a
 *   newline and anything after); anchors inside a leading or trailing group are distributed
 *   (`(^|-)x` reads as `x` at the start or `-x` anywhere);
 * - `.` without `|s` becomes `[^\n]`; `\d \w \s` and their negations become ASCII classes (PCRE
 *   without UCP; Python would also accept non-ASCII digits and letters); `\n \t \xHH` become the
 *   characters; lazy quantifiers become greedy (whether a match exists does not depend on it);
 *   named groups become plain groups; a leading `(?i)`/`(?s)`/`(?m)` becomes a flag.
 * Everything else outside the subset (`\b`, lookaround, backreferences, possessive quantifiers,
 * anchors in the middle) is refused with the construct named: rewriting it would change matches.
 */
import { portableRegexProblem } from '../../ir/regex.js';
import type { RegexFlag } from './values.js';

export type LoweredRegex = { readonly source: string; readonly caseInsensitive: boolean } | { readonly problem: string };

type Atom =
  | { readonly kind: 'text'; readonly src: string }
  | { readonly kind: 'group'; readonly branches: readonly Seq[] }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };
interface Item {
  readonly atom: Atom;
  readonly quant: string;
}
type Seq = readonly Item[];

class RegexRefused extends Error {}

const WHITESPACE = ' \t\n\r\f\v';
const CLASS_ESCAPES: { readonly [c: string]: string } = { d: '0-9', w: 'A-Za-z0-9_', s: WHITESPACE };
const CHAR_ESCAPES: { readonly [c: string]: string } = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\u0007', e: '\u001b' };
/** Characters that stay escaped outside a class (JavaScript's syntax characters). */
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const MAX_BRANCHES = 64;

export function lowerSigmaRegex(regex: string, flagsIn: ReadonlySet<RegexFlag>): LoweredRegex {
  const flags = new Set(flagsIn);
  let source = regex;
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline !== null) {
    for (const f of inline[1] as string) {
      if (f === 'x') return { problem: 'the verbose flag (?x) is outside the portable subset' };
      flags.add(f as RegexFlag);
    }
    source = source.slice(inline[0].length);
  }
  try {
    const parser = new Parser(source, flags.has('s'));
    const branches = parser.parse();
    const multiline = flags.has('m');
    const out: string[] = [];
    for (const seq of branches.flatMap((b) => expandEnd(expandStart(b)))) {
      let items = [...seq];
      const startAnchored = items[0]?.atom.kind === 'start' && items[0].quant === '';
      if (startAnchored) items = items.slice(1);
      const last = items[items.length - 1];
      const endAnchored = last?.atom.kind === 'end' && last.quant === '';
      if (endAnchored) items = items.slice(0, -1);
      const body = items.map(print).join('');
      const pre = startAnchored ? (multiline ? '(?:.*\n)?' : '') : '.*';
      const post = endAnchored ? (multiline ? '(?:\n.*)?' : '\n?') : '.*';
      out.push(`${pre}${body}${post}`);
    }
    if (out.length > MAX_BRANCHES) return { problem: `anchors in groups distribute into more than ${MAX_BRANCHES} alternatives` };
    const lowered = out.join('|');
    const problem = portableRegexProblem(lowered);
    if (problem !== undefined) return { problem };
    return { source: lowered, caseInsensitive: flags.has('i') };
  } catch (e) {
    if (e instanceof RegexRefused) return { problem: e.message };
    throw e;
  }
}

function print(item: Item): string {
  const a = item.atom;
  switch (a.kind) {
    case 'text':
      return a.src + item.quant;
    case 'group':
      return `(?:${a.branches.map((b) => b.map(print).join('')).join('|')})${item.quant}`;
    case 'start':
    case 'end':
      throw new RegexRefused(`the anchor ${a.kind === 'start' ? '^' : '$'} in the middle of the regex has no portable form`);
  }
}

/** A leading unquantified group is distributed over its branches until a sequence starts with a non-group. */
function expandStart(seq: Seq, budget = { n: MAX_BRANCHES }): Seq[] {
  const first = seq[0];
  if (first === undefined || first.atom.kind !== 'group' || first.quant !== '' || !mentions(first.atom, 'start')) return [seq];
  if (--budget.n < 0) throw new RegexRefused(`anchors in groups distribute into more than ${MAX_BRANCHES} alternatives`);
  return first.atom.branches.flatMap((b) => expandStart([...b, ...seq.slice(1)], budget));
}

function expandEnd(seqs: Seq[]): Seq[] {
  const budget = { n: MAX_BRANCHES };
  const one = (seq: Seq): Seq[] => {
    const last = seq[seq.length - 1];
    if (last === undefined || last.atom.kind !== 'group' || last.quant !== '' || !mentions(last.atom, 'end')) return [seq];
    if (--budget.n < 0) throw new RegexRefused(`anchors in groups distribute into more than ${MAX_BRANCHES} alternatives`);
    return last.atom.branches.flatMap((b) => one([...seq.slice(0, -1), ...b]));
  };
  return seqs.flatMap(one);
}

function mentions(atom: Atom, kind: 'start' | 'end'): boolean {
  return atom.kind === kind || (atom.kind === 'group' && atom.branches.some((b) => b.some((i) => mentions(i.atom, kind))));
}

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly dotAll: boolean,
  ) {}

  parse(): Seq[] {
    const branches = this.alternation();
    if (this.i < this.s.length) throw new RegexRefused(`unbalanced ) at offset ${this.i}`);
    return branches;
  }

  private alternation(): Seq[] {
    const branches: Seq[] = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches;
  }

  private sequence(): Seq {
    const items: Item[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom();
      items.push({ atom, quant: this.quantifier(atom) });
    }
    return items;
  }

  private quantifier(atom: Atom): string {
    const s = this.s;
    let q = '';
    const c = s[this.i];
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(this.i));
      if (m === null || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) return '';
      q = `{${m[1] === '' ? '0' : m[1]}${m[2]}${m[3]}}`;
      this.i += m[0].length;
    } else {
      return '';
    }
    if (atom.kind === 'start' || atom.kind === 'end') throw new RegexRefused('a quantified anchor has no portable form');
    if (s[this.i] === '?') this.i++; // lazy: the same values match
    else if (s[this.i] === '+') throw new RegexRefused('possessive quantifiers are outside the portable subset');
    return q;
  }

  private atom(): Atom {
    const s = this.s;
    const c = s[this.i] as string;
    switch (c) {
      case '^':
        this.i++;
        return { kind: 'start' };
      case '$':
        this.i++;
        return { kind: 'end' };
      case '.':
        this.i++;
        return { kind: 'text', src: this.dotAll ? '.' : '[^\n]' };
      case '(':
        return this.group();
      case '[':
        return { kind: 'text', src: this.charClass() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new RegexRefused(`nothing to repeat at offset ${this.i}`);
      case '{':
      case '}':
      case ']':
        // PCRE and Python read these as literals where they cannot be syntax; JavaScript needs the escape.
        this.i++;
        return { kind: 'text', src: `\\${c}` };
      default: {
        const cp = s.codePointAt(this.i) as number;
        const ch = String.fromCodePoint(cp);
        this.i += ch.length;
        return { kind: 'text', src: ch };
      }
    }
  }

  private group(): Atom {
    const s = this.s;
    this.i++;
    if (s[this.i] === '?') {
      const rest = s.slice(this.i);
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (rest.startsWith('?:')) this.i += 2;
      else if (named !== null) this.i += named[0].length;
      else throw new RegexRefused(rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<') ? 'lookaround is outside the portable subset' : `the group (${rest.slice(0, 3)} is outside the portable subset`);
    }
    const branches = this.alternation();
    if (s[this.i] !== ')') throw new RegexRefused('missing )');
    this.i++;
    return { kind: 'group', branches };
  }

  /** A character class with its escapes made portable (`\d` inlined, `\n` the character). */
  private charClass(): string {
    const s = this.s;
    let out = '[';
    this.i++;
    if (s[this.i] === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    while (this.i < s.length && (s[this.i] !== ']' || first)) {
      const c = s[this.i] as string;
      first = false;
      if (c === '\\') {
        const e = s[this.i + 1] ?? '';
        this.i += 2;
        if (e in CLASS_ESCAPES) out += CLASS_ESCAPES[e] as string;
        else if (e === 'D' || e === 'W' || e === 'S') throw new RegexRefused(`\\${e} inside a character class has no portable form`);
        else if (e in CHAR_ESCAPES || e === 'x' || e === 'u') out += classChar(this.charEscape(e));
        else if (/[A-Za-z0-9]/.test(e)) throw new RegexRefused(`escape \\${e} is outside the portable subset`);
        else out += classChar(e);
      } else if (c === '[') {
        if (s[this.i + 1] === ':') throw new RegexRefused('POSIX classes ([:alpha:]) are outside the portable subset');
        out += '\\[';
        this.i++;
      } else {
        const ch = String.fromCodePoint(s.codePointAt(this.i) as number);
        out += ch;
        this.i += ch.length;
      }
    }
    if (s[this.i] !== ']') throw new RegexRefused('missing ] of a character class');
    this.i++;
    return `${out}]`;
  }

  /** The character of `\n`, `\xHH`, `\uHHHH` (the backslash and letter already read). */
  private charEscape(e: string): string {
    if (e in CHAR_ESCAPES) return CHAR_ESCAPES[e] as string;
    const digits = e === 'x' ? 2 : 4;
    const hex = this.s.slice(this.i, this.i + digits);
    if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw new RegexRefused(`\\${e} needs ${digits} hex digits`);
    this.i += digits;
    return String.fromCharCode(parseInt(hex, 16));
  }

  private escape(): Atom {
    const e = this.s[this.i + 1] ?? '';
    this.i += 2;
    if (e === '') throw new RegexRefused('a trailing backslash');
    if (e in CLASS_ESCAPES) return { kind: 'text', src: `[${CLASS_ESCAPES[e] as string}]` };
    if (e === 'D' || e === 'W' || e === 'S') return { kind: 'text', src: `[^${CLASS_ESCAPES[e.toLowerCase()] as string}]` };
    if (e in CHAR_ESCAPES || e === 'x' || e === 'u') return { kind: 'text', src: literalChar(this.charEscape(e)) };
    if (e === 'b' || e === 'B') throw new RegexRefused(`the word boundary \\${e} has no portable form`);
    if (e === 'A') return { kind: 'start' };
    if (e === 'Z' || e === 'z') throw new RegexRefused(`\\${e} has no portable form`);
    if (/[0-9]/.test(e)) throw new RegexRefused('backreferences are outside the portable subset');
    if (/[A-Za-z]/.test(e)) throw new RegexRefused(`escape \\${e} is outside the portable subset`);
    return { kind: 'text', src: literalChar(e) };
  }
}

/** A literal character outside a class: escaped when it is syntax. */
function literalChar(c: string): string {
  return SYNTAX.has(c) ? `\\${c}` : c;
}

/** A literal character inside a class: escaped when it is `]`, `\`, `^`, `-` or `[`. */
function classChar(c: string): string {
  return ']\\^-['.includes(c) ? `\\${c}` : c;
}
