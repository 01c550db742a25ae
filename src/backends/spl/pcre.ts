/**
 * PCRE text for eval's `match()`, which Splunk runs unanchored and case-sensitively. Every
 * regex here is anchored `^...\z` (`$` would also accept a trailing newline), uses `(?s)` when
 * `.` must cross newlines, and is exact about case: the IR folds ASCII letters only, while
 * PCRE's `(?i)` may fold Unicode (`k` with the Kelvin sign, `s` with `ſ`, `é` with `É`).
 * So `(?i)` is used for the plain ASCII letters, and the rest is written case-sensitively
 * inside `(?-i:...)`: `[sS]`, `[kK]`, non-ASCII characters, and character classes with both
 * ASCII cases spelled out.
 */
import type { Pattern } from '../../ir/pattern.js';
import { isUnsafeChar } from './strings.js';
import { isAsciiLetterCode } from '../../util/ascii.js';

/** A class member: a code point range (a single character is lo === hi). */
interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** One unit of a regex, as far as case and escaping are concerned. */
type Token =
  | { readonly kind: 'char'; readonly ch: string }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly Range[] }
  /** Syntax passed through as written: `.`, quantifiers, groups, `|`, anchors, backreferences. */
  | { readonly kind: 'syntax'; readonly text: string; readonly quantifier?: boolean };

/** A construct the translation cannot vouch for (reported by the caller, emitted as written). */
export interface RegexIssue {
  readonly construct: string;
  readonly why: string;
}

const META = new Set([...'\\^$.|?*+()[]{}']);
const FOLDS_BEYOND_ASCII = new Set([...'kKsS']);

/** `\x{..}`; PCRE refuses a surrogate there, so a lone one is written U+FFFD (reported as SIEMC-A206). */
function hex(cp: number): string {
  return `\\x{${(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp).toString(16)}}`;
}

function charOutside(ch: string): string {
  if (META.has(ch)) return `\\${ch}`;
  return isUnsafeChar(ch) ? hex(ch.codePointAt(0) ?? 0) : ch;
}

function charInClass(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if ('\\]^-['.includes(ch)) return `\\${ch}`;
  // Range ends are often far outside ASCII (complements of `\d`, `\w`, `\s`): spelt in hex.
  return isUnsafeChar(ch) || cp >= 0x80 ? hex(cp) : ch;
}

/** Adds the other ASCII case of every letter in the ranges (the IR's case folding). */
function foldRanges(ranges: readonly Range[]): Range[] {
  const out = [...ranges];
  for (const { lo, hi } of ranges) {
    const upLo = Math.max(lo, 0x41);
    const upHi = Math.min(hi, 0x5a);
    if (upLo <= upHi) out.push({ lo: upLo + 0x20, hi: upHi + 0x20 });
    const lowLo = Math.max(lo, 0x61);
    const lowHi = Math.min(hi, 0x7a);
    if (lowLo <= lowHi) out.push({ lo: lowLo - 0x20, hi: lowHi - 0x20 });
  }
  return out;
}

function renderClass(negated: boolean, ranges: readonly Range[]): string {
  if (ranges.length === 0) return negated ? '[\\s\\S]' : '(?!)';
  const body = ranges.map(({ lo, hi }) => (lo === hi ? charInClass(lo) : `${charInClass(lo)}-${charInClass(hi)}`)).join('');
  return `[${negated ? '^' : ''}${body}]`;
}

/**
 * Renders tokens as an anchored PCRE. `caseInsensitive` folds ASCII letters only; a token
 * that `(?i)` would fold differently is written exactly inside `(?-i:...)`.
 */
function render(tokens: readonly Token[], caseInsensitive: boolean): string {
  const plainLetter = (t: Token): boolean =>
    t.kind === 'char' && isAsciiLetterCode(t.ch.codePointAt(0) ?? 0) && !FOLDS_BEYOND_ASCII.has(t.ch);
  const useI = caseInsensitive && tokens.some(plainLetter);
  const dotAll = tokens.some((t) => t.kind === 'syntax' && t.text === '.');
  let out = '';
  let guarded = '';
  const flush = (): void => {
    if (guarded !== '') out += `(?-i:${guarded})`;
    guarded = '';
  };
  tokens.forEach((t, i) => {
    let text: string;
    let exactUnderI: boolean;
    if (t.kind === 'syntax') {
      text = t.text;
      exactUnderI = true;
    } else if (t.kind === 'class') {
      text = renderClass(t.negated, caseInsensitive ? foldRanges(t.ranges) : t.ranges);
      exactUnderI = !caseInsensitive;
    } else {
      const cp = t.ch.codePointAt(0) ?? 0;
      const asciiFolded = caseInsensitive && FOLDS_BEYOND_ASCII.has(t.ch);
      text = asciiFolded ? `[${t.ch.toLowerCase()}${t.ch.toUpperCase()}]` : charOutside(t.ch);
      exactUnderI = cp < 0x80 && !asciiFolded;
    }
    if (!useI || exactUnderI) {
      flush();
      out += text;
    } else if (tokens[i + 1]?.kind === 'syntax' && (tokens[i + 1] as { quantifier?: boolean }).quantifier === true) {
      // A quantifier applies to the token alone, so it gets a group of its own.
      flush();
      out += `(?-i:${text})`;
    } else {
      guarded += text;
    }
  });
  flush();
  const flags = `${useI ? 'i' : ''}${dotAll ? 's' : ''}`;
  return `${flags === '' ? '' : `(?${flags})`}^${out}\\z`;
}

/** A glob pattern as an anchored PCRE: `*` is `.*`, `?` is `.` (one code point), literals escaped. */
export function patternToPcre(pattern: Pattern, caseInsensitive: boolean): string {
  const tokens: Token[] = [];
  for (const part of pattern) {
    if (part.kind === 'literal') for (const ch of part.text) tokens.push({ kind: 'char', ch });
    else if (part.kind === 'anyRun') tokens.push({ kind: 'syntax', text: '.' }, { kind: 'syntax', text: '*', quantifier: true });
    else tokens.push({ kind: 'syntax', text: '.' });
  }
  return render(tokens, caseInsensitive);
}

// ---------------------------------------------------------------------------------------------
// IR regexes (JavaScript syntax, `u` mode) to PCRE.

const JS_SPACE: readonly Range[] = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029],
  [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
].map(([lo, hi]) => ({ lo: lo as number, hi: hi as number }));
const DIGIT: readonly Range[] = [{ lo: 0x30, hi: 0x39 }];
const WORD: readonly Range[] = [{ lo: 0x30, hi: 0x39 }, { lo: 0x41, hi: 0x5a }, { lo: 0x5f, hi: 0x5f }, { lo: 0x61, hi: 0x7a }];
const MAX_CP = 0x10ffff;

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: Range[] = [];
  let next = 0;
  for (const { lo, hi } of sorted) {
    if (lo > next) out.push({ lo: next, hi: lo - 1 });
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push({ lo: next, hi: MAX_CP });
  return out;
}

/** `\d \w \s` (and negations) as JavaScript reads them in `u` mode without `i`: exact ranges. */
function classEscape(letter: string): readonly Range[] | undefined {
  switch (letter) {
    case 'd': return DIGIT;
    case 'D': return complement(DIGIT);
    case 'w': return WORD;
    case 'W': return complement(WORD);
    case 's': return JS_SPACE;
    case 'S': return complement(JS_SPACE);
    default: return undefined;
  }
}

const CONTROL_ESCAPES: { readonly [k: string]: number } = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };

class RegexReader {
  private i = 0;
  readonly issues: RegexIssue[] = [];
  constructor(private readonly src: string) {}

  private peek(offset = 0): string | undefined {
    return this.src[this.i + offset];
  }

  /** A character escape after `\` (`\n`, `\x41`, `\u{1F600}`, `\.`), or undefined if it is not one. */
  private charEscape(inClass: boolean): number | undefined {
    const c = this.peek();
    if (c === undefined) return undefined;
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) {
      this.i++;
      return control;
    }
    if (c === 'b' && inClass) {
      this.i++;
      return 0x08;
    }
    if (c === '0' && !/[0-9]/.test(this.peek(1) ?? '')) {
      this.i++;
      return 0;
    }
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(this.src.slice(this.i + 1, this.i + 3))) {
      this.i += 3;
      return parseInt(this.src.slice(this.i - 2, this.i), 16);
    }
    if (c === 'u') {
      const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.i + 1));
      if (braced) {
        this.i += 1 + braced[0].length;
        return parseInt(braced[1] as string, 16);
      }
      const four = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i + 1));
      if (four) {
        this.i += 5;
        const unit = parseInt(four[0], 16);
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.src.slice(this.i));
        if (unit >= 0xd800 && unit <= 0xdbff && low) {
          this.i += 6;
          return 0x10000 + ((unit - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
        }
        return unit;
      }
    }
    if (c === 'c' && /[A-Za-z]/.test(this.peek(1) ?? '')) {
      this.i += 2;
      return this.src.charCodeAt(this.i - 1) % 32;
    }
    if (!/[A-Za-z0-9]/.test(c)) {
      this.i++;
      return c.codePointAt(0);
    }
    return undefined;
  }

  private readClass(): Token {
    // At the character after `[`.
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Range[] = [];
    const atom = (): Range[] | number => {
      const ch = this.src.codePointAt(this.i) ?? 0;
      if (ch === 0x5c) {
        this.i++;
        const esc = this.charEscape(true);
        if (esc !== undefined) return esc;
        const letter = this.peek() ?? '';
        const cls = classEscape(letter);
        this.i++;
        if (cls !== undefined) return [...cls];
        this.issues.push({ construct: `\\${letter}`, why: 'escape outside the portable subset' });
        return [];
      }
      this.i += ch > 0xffff ? 2 : 1;
      return ch;
    };
    while (this.i < this.src.length && this.peek() !== ']') {
      const first = atom();
      if (typeof first !== 'number') {
        ranges.push(...first);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.i++;
        const last = atom();
        if (typeof last === 'number') ranges.push({ lo: first, hi: last });
        else ranges.push({ lo: first, hi: first }, { lo: 0x2d, hi: 0x2d }, ...last);
      } else {
        ranges.push({ lo: first, hi: first });
      }
    }
    this.i++; // `]`
    return { kind: 'class', negated, ranges };
  }

  read(): Token[] {
    const out: Token[] = [];
    while (this.i < this.src.length) {
      const c = this.peek() as string;
      if (c === '\\') {
        this.i++;
        const esc = this.charEscape(false);
        if (esc !== undefined) {
          out.push({ kind: 'char', ch: String.fromCodePoint(esc) });
          continue;
        }
        const letter = this.peek() ?? '';
        const cls = classEscape(letter);
        if (cls !== undefined) {
          this.i++;
          out.push({ kind: 'class', negated: false, ranges: cls });
        } else if (letter === 'b' || letter === 'B') {
          // Word boundaries over ASCII word characters, in JavaScript and in PCRE without UCP.
          this.i++;
          out.push({ kind: 'syntax', text: `\\${letter}` });
        } else {
          const m = /^(?:[1-9][0-9]*|k<[^>]*>|[pP]\{[^}]*\}|.)/su.exec(this.src.slice(this.i));
          const text = m?.[0] ?? '';
          this.i += text.length;
          this.issues.push({ construct: `\\${text}`, why: 'escape outside the portable subset' });
          out.push({ kind: 'syntax', text: `\\${text}` });
        }
      } else if (c === '[') {
        this.i++;
        out.push(this.readClass());
      } else if (c === '*' || c === '+' || c === '?') {
        this.i++;
        const lazy = this.peek() === '?';
        if (lazy) this.i++;
        out.push({ kind: 'syntax', text: lazy ? `${c}?` : c, quantifier: true });
      } else if (c === '{') {
        const m = /^\{\d+(?:,\d*)?\}\??/.exec(this.src.slice(this.i));
        const text = m?.[0] ?? '{';
        this.i += text.length;
        out.push(m ? { kind: 'syntax', text, quantifier: true } : { kind: 'char', ch: '{' });
      } else if (c === '(') {
        const m = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>))?/.exec(this.src.slice(this.i));
        const text = m?.[0] ?? '(';
        this.i += text.length;
        if (text.startsWith('(?<=') || text.startsWith('(?<!')) {
          this.issues.push({ construct: text, why: 'PCRE accepts only bounded lookbehind' });
        }
        out.push({ kind: 'syntax', text });
      } else if (c === ')' || c === '|' || c === '.' || c === '^') {
        this.i++;
        out.push({ kind: 'syntax', text: c });
      } else if (c === '$') {
        // JavaScript's `$` (no `m` flag) is the end of the value; PCRE's `\z` is that, `$` is not.
        this.i++;
        out.push({ kind: 'syntax', text: '\\z' });
      } else {
        const ch = String.fromCodePoint(this.src.codePointAt(this.i) ?? 0);
        this.i += ch.length;
        out.push({ kind: 'char', ch });
      }
    }
    return out;
  }
}

/**
 * An IR regex as an anchored PCRE with the same meaning. Escapes whose meaning differs between
 * JavaScript and PCRE (`\d \w \s`, control escapes, `\u{...}`) become explicit characters and
 * classes; what is left outside the portable subset is passed through and listed in `issues`.
 */
export function irRegexToPcre(source: string, caseInsensitive: boolean): { pcre: string; issues: readonly RegexIssue[] } {
  const reader = new RegexReader(source);
  const tokens = reader.read();
  const issues = [...reader.issues];
  if (caseInsensitive && tokens.some((t) => t.kind === 'syntax' && /^\\(?:[1-9]|k<)/.test(t.text))) {
    issues.push({ construct: 'backreference', why: 'PCRE compares a backreference ignoring case with its own folding' });
  }
  const body = render([{ kind: 'syntax', text: '(?:' }, ...tokens, { kind: 'syntax', text: ')' }], caseInsensitive);
  return { pcre: body, issues };
}
