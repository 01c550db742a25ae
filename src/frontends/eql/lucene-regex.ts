/**
 * Lucene RegExp (what EQL's `regex`/`regex~` hand to a `regexp` query) read into the IR's
 * regex syntax (JavaScript, matched whole-value with the `su` flags).
 *
 * The parser mirrors org.apache.lucene.util.automaton.RegExp so that odd inputs mean what
 * they mean to Lucene: `^` and `$` are literal, `\n` is an error, a `*` with nothing before it
 * is a literal asterisk, `"..."` quotes a literal string. Operators with no JavaScript
 * equivalent (`~` complement, `&` intersection, `#` empty language, `<...>` intervals) are
 * rejected rather than approximated.
 *
 * Output uses plain `( )` groups, never `(?:`, because the EQL printer passes IR regexes to
 * Lucene almost verbatim and Lucene would read `(?:` as literal characters.
 */
import { assertNever } from '../../ir/nodes.js';
import { isAsciiLetterCode } from '../../util/ascii.js';

type Predefined = 'd' | 'D' | 's' | 'S' | 'w' | 'W';

type ClassItem =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'pre'; readonly cls: Predefined };

type Rx =
  | { readonly kind: 'union'; readonly items: readonly Rx[] }
  | { readonly kind: 'concat'; readonly items: readonly Rx[] }
  | { readonly kind: 'repeat'; readonly item: Rx; readonly min: number; readonly max: number | undefined }
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'class'; readonly negated: boolean; readonly items: readonly ClassItem[] }
  | { readonly kind: 'pre'; readonly cls: Predefined }
  | { readonly kind: 'anyChar' }
  | { readonly kind: 'anyString' };

/** A problem in the regex text; `offset` is in code units from the start of the regex. */
export class LuceneRegexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface IrRegex {
  readonly regex: string;
  readonly caseInsensitive: boolean;
}

/**
 * Converts Lucene regex text to an IR regex. `caseInsensitive` is `regex~`, which Lucene
 * implements as ASCII_CASE_INSENSITIVE: only ASCII letters fold and character ranges do not
 * fold at all. JavaScript's `i` flag folds everything, so when that would differ (a range
 * over letters, a non-ASCII cased character) the case variants are spelled out instead and
 * the result is case-sensitive.
 */
export function luceneRegexToIr(source: string, caseInsensitive: boolean): IrRegex {
  const tree = new LuceneParser(source).parse();
  const spellOut = caseInsensitive && needsExplicitCase(tree);
  const regex = new Emitter(spellOut).emit(tree);
  return { regex, caseInsensitive: caseInsensitive && !spellOut };
}

const PREDEFINED = 'dDsSwW';
/** `\` + one of these letters is an error in Lucene ("invalid character class"). */
const BAD_ESCAPE_LETTERS = /[abcefghijklmnopqrtuvxyzABCEFGHIJKLMNOPQRTUVXYZ]/;

class LuceneParser {
  private pos = 0;

  constructor(private readonly s: string) {}

  parse(): Rx {
    // Lucene: the empty regex is the empty string.
    if (this.s.length === 0) return { kind: 'concat', items: [] };
    const e = this.union();
    if (this.more()) this.fail(`end of regex expected at position ${this.pos}`);
    return e;
  }

  private fail(message: string, offset = this.pos): never {
    throw new LuceneRegexError(message, offset);
  }

  private more(): boolean {
    return this.pos < this.s.length;
  }

  private peek(chars: string): boolean {
    const cp = this.s.codePointAt(this.pos);
    return cp !== undefined && chars.includes(String.fromCodePoint(cp));
  }

  private match(ch: string): boolean {
    if (this.s.startsWith(ch, this.pos)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  private nextCodePoint(): number {
    const cp = this.s.codePointAt(this.pos);
    if (cp === undefined) this.fail('unexpected end of regex');
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private union(): Rx {
    const items = [this.intersection()];
    while (this.match('|')) items.push(this.intersection());
    return items.length === 1 ? (items[0] as Rx) : { kind: 'union', items };
  }

  private intersection(): Rx {
    const e = this.concat();
    if (this.peek('&')) this.fail('the Lucene intersection operator & is not supported (escape it as \\& for a literal)');
    return e;
  }

  private concat(): Rx {
    const items = [this.repeat()];
    while (this.more() && !this.peek(')|&')) items.push(this.repeat());
    return items.length === 1 ? (items[0] as Rx) : { kind: 'concat', items };
  }

  private repeat(): Rx {
    let e = this.complement();
    while (this.peek('?*+{')) {
      if (this.match('?')) e = { kind: 'repeat', item: e, min: 0, max: 1 };
      else if (this.match('*')) e = { kind: 'repeat', item: e, min: 0, max: undefined };
      else if (this.match('+')) e = { kind: 'repeat', item: e, min: 1, max: undefined };
      else e = this.bounds(e);
    }
    return e;
  }

  /** `{n}`, `{n,}`, `{n,m}` after the `{`. */
  private bounds(item: Rx): Rx {
    this.match('{');
    const min = this.integer();
    let max: number | undefined = min;
    if (this.match(',')) max = /[0-9]/.test(this.s[this.pos] ?? '') ? this.integer() : undefined;
    if (!this.match('}')) this.fail(`expected '}' at position ${this.pos}`);
    if (max !== undefined && max < min) this.fail(`repeat bounds out of order: {${min},${max}}`);
    return { kind: 'repeat', item, min, max };
  }

  private integer(): number {
    const m = /^[0-9]+/.exec(this.s.slice(this.pos));
    if (m === null) this.fail(`integer expected at position ${this.pos}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private complement(): Rx {
    if (this.peek('~')) this.fail('the Lucene complement operator ~ is not supported (escape it as \\~ for a literal)');
    return this.charClassExp();
  }

  private charClassExp(): Rx {
    if (!this.match('[')) return this.simple();
    const negated = this.match('^');
    // Lucene always reads one item, so `[]a]` is the class of `]` and `a`.
    const items = [this.classItem()];
    while (this.more() && !this.peek(']')) items.push(this.classItem());
    if (!this.match(']')) this.fail(`expected ']' at position ${this.pos}`);
    return { kind: 'class', negated, items };
  }

  private classItem(): ClassItem {
    const pre = this.predefined();
    if (pre !== undefined) return pre;
    const from = this.charExp();
    if (!this.match('-')) return { kind: 'char', cp: from };
    const to = this.charExp();
    if (from > to) this.fail(`invalid range: from (${from}) cannot be > to (${to})`);
    return { kind: 'range', from, to };
  }

  private simple(): Rx {
    if (this.match('.')) return { kind: 'anyChar' };
    if (this.match('@')) return { kind: 'anyString' };
    if (this.peek('#')) this.fail('the Lucene empty-language operator # is not supported (escape it as \\# for a literal)');
    if (this.peek('<')) this.fail('Lucene <...> intervals and named automata are not supported (escape it as \\< for a literal)');
    if (this.match('"')) return this.quoted();
    if (this.match('(')) {
      if (this.match(')')) return { kind: 'concat', items: [] };
      const e = this.union();
      if (!this.match(')')) this.fail(`expected ')' at position ${this.pos}`);
      return e;
    }
    const pre = this.predefined();
    return pre ?? { kind: 'char', cp: this.charExp() };
  }

  /** `"..."`: a literal string, no escapes inside. */
  private quoted(): Rx {
    const start = this.pos;
    const end = this.s.indexOf('"', start);
    if (end < 0) this.fail(`expected '"' at position ${this.s.length}`);
    this.pos = end + 1;
    return { kind: 'concat', items: Array.from(this.s.slice(start, end), (ch) => ({ kind: 'char', cp: ch.codePointAt(0) ?? 0 })) };
  }

  /**
   * Lucene's matchPredefinedCharacterClass: `\d \D \s \S \w \W`, `\\` is a backslash, `\` + other
   * letters is an error. Like Lucene, it consumes the backslash even when it returns nothing,
   * so the caller's charExp then reads the escaped character itself.
   */
  private predefined(): { readonly kind: 'pre'; readonly cls: Predefined } | { readonly kind: 'char'; readonly cp: number } | undefined {
    if (!this.match('\\')) return undefined;
    if (this.peek(PREDEFINED)) return { kind: 'pre', cls: String.fromCodePoint(this.nextCodePoint()) as Predefined };
    if (this.peek('\\')) return { kind: 'char', cp: this.nextCodePoint() };
    const ch = this.s[this.pos] ?? '';
    if (BAD_ESCAPE_LETTERS.test(ch)) this.fail(`invalid character class \\${ch}`, this.pos - 1);
    return undefined;
  }

  private charExp(): number {
    this.match('\\');
    return this.nextCodePoint();
  }
}

/** True for a character outside ASCII that has another case (Lucene does not fold those). */
function isNonAsciiCased(cp: number): boolean {
  if (cp < 0x80) return false;
  const ch = String.fromCodePoint(cp);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch;
}

function rangeHasCase(from: number, to: number): boolean {
  // Any ASCII letter inside, or anything beyond ASCII (cheap and safe: spelling out is exact).
  return (from <= 0x7a && to >= 0x41) || to >= 0x80;
}

/** Whether JavaScript's `i` flag would fold something Lucene's ASCII-only folding leaves alone. */
function needsExplicitCase(rx: Rx): boolean {
  switch (rx.kind) {
    case 'union':
    case 'concat':
      return rx.items.some(needsExplicitCase);
    case 'repeat':
      return needsExplicitCase(rx.item);
    case 'char':
      return isNonAsciiCased(rx.cp);
    case 'class':
      return rx.items.some((i) => (i.kind === 'range' ? rangeHasCase(i.from, i.to) : i.kind === 'char' && isNonAsciiCased(i.cp)));
    case 'pre':
    case 'anyChar':
    case 'anyString':
      return false;
    default:
      return assertNever(rx, 'regex node');
  }
}

/** Lucene's `\s` is exactly these four; JavaScript's is much wider, so it is spelled out. */
const LUCENE_SPACE = ' \t\n\r';
const SPECIAL_OUTSIDE_CLASS = new Set('\\^$.*+?()[]{}|'.split(''));
const SPECIAL_IN_CLASS = new Set('\\]^-['.split(''));

class Emitter {
  /** `spellOut`: write `[aA]` for ASCII letters (case-insensitive regex emitted case-sensitively). */
  constructor(private readonly spellOut: boolean) {}

  emit(rx: Rx): string {
    switch (rx.kind) {
      case 'union':
        return rx.items.map((i) => this.emit(i)).join('|');
      case 'concat':
        return rx.items.map((i) => (i.kind === 'union' ? `(${this.emit(i)})` : this.emit(i))).join('');
      case 'repeat':
        return this.atom(rx.item) + quantifier(rx.min, rx.max);
      case 'char':
        return this.char(rx.cp);
      case 'class':
        return `[${rx.negated ? '^' : ''}${rx.items.map((i) => this.classItem(i)).join('')}]`;
      case 'pre':
        return predefinedOutside(rx.cls);
      case 'anyChar':
        return '.';
      case 'anyString':
        return '.*';
      default:
        return assertNever(rx, 'regex node');
    }
  }

  /** Something a quantifier can follow directly; anything else gets a group. */
  private atom(rx: Rx): string {
    const single = rx.kind === 'char' || rx.kind === 'class' || rx.kind === 'pre' || rx.kind === 'anyChar';
    return single ? this.emit(rx) : `(${this.emit(rx)})`;
  }

  private char(cp: number): string {
    const ch = String.fromCodePoint(cp);
    if (this.spellOut && isAsciiLetterCode(cp)) return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    return SPECIAL_OUTSIDE_CLASS.has(ch) ? `\\${ch}` : ch;
  }

  private classItem(item: ClassItem): string {
    switch (item.kind) {
      case 'char': {
        const ch = String.fromCodePoint(item.cp);
        if (this.spellOut && isAsciiLetterCode(item.cp)) return `${ch.toLowerCase()}${ch.toUpperCase()}`;
        return classChar(item.cp);
      }
      case 'range':
        return `${classChar(item.from)}-${classChar(item.to)}`;
      case 'pre':
        if (item.cls === 's') return LUCENE_SPACE;
        if (item.cls === 'S') throw new LuceneRegexError('\\S inside a character class is not supported', 0);
        return `\\${item.cls}`;
      default:
        return assertNever(item, 'class item');
    }
  }
}

function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return SPECIAL_IN_CLASS.has(ch) ? `\\${ch}` : ch;
}

function predefinedOutside(cls: Predefined): string {
  if (cls === 's') return `[${LUCENE_SPACE}]`;
  if (cls === 'S') return `[^${LUCENE_SPACE}]`;
  return `\\${cls}`;
}

function quantifier(min: number, max: number | undefined): string {
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === undefined) return '*';
  if (min === 1 && max === undefined) return '+';
  if (max === undefined) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}
