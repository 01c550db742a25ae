/**
 * EQL tokens, following Elasticsearch's lexer (x-pack/plugin/eql EqlBase.g4) and its string
 * unquoting (AbstractBuilder.unquoteString), because the same text must mean here what it
 * means to Elasticsearch: an escape it rejects is an error here too, not a guess.
 */
import { EQL_KEYWORDS } from '../../languages/eql.js';
import { EqlSyntaxError, positionFinder, type Position } from './errors.js';

export type TokenKind =
  | 'identifier' // plain identifier: letters, digits, `_`, may start with `@`
  | 'quoted' // backtick identifier, already unescaped
  | 'tildeFunction' // `name~`: a case-insensitive function name
  | 'keyword'
  | 'string' // already unescaped
  | 'integer'
  | 'decimal'
  | 'punct'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Keyword or punctuation text, identifier name, or the unescaped string value. */
  readonly value: string;
  /** The source text of the token. */
  readonly text: string;
  readonly at: Position;
}

/** Keywords are lower-case only: Elasticsearch's lexer has no case-insensitive stream. */
const KEYWORDS = EQL_KEYWORDS;
/** `in~`, `like~`, `regex~` are single keywords; any other `word~` names a function. */
const TILDE_KEYWORDS = new Set(['in', 'like', 'regex']);

/** Longest first, so `==` wins over `=` and `<=` over `<`. */
const PUNCTUATION = ['==', '!=', '<=', '>=', '<', '>', ':', '=', '(', ')', ',', '.', '?', '[', ']', '|', '+', '-', '*', '/', '%'];

/** The single-character escapes of a double-quoted string (STRING_ESCAPE in the grammar). */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\',
};

export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

class Lexer {
  private pos = 0;
  private readonly tokens: Token[] = [];
  private readonly position: (offset: number) => Position;

  constructor(private readonly text: string) {
    this.position = positionFinder(text);
  }

  run(): Token[] {
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.text.length) break;
      this.tokens.push(this.next());
    }
    this.tokens.push({ kind: 'eof', value: '', text: '', at: this.position(this.text.length) });
    return this.tokens;
  }

  private fail(message: string, offset = this.pos): never {
    throw new EqlSyntaxError(message, this.position(offset));
  }

  /** Whitespace (only space, tab, CR, LF, as in the grammar), `//` and `/* *\/` comments. */
  private skipTrivia(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
        this.pos++;
      } else if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (this.text.startsWith('/*', this.pos)) {
        // The grammar's comment rule is non-greedy, so a comment ends at the first `*/`.
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  private next(): Token {
    const start = this.pos;
    const ch = this.text[start] as string;
    if (ch === '"') return this.string(start);
    if (ch === "'") this.fail('use double quotes ["] to define string literals, not single quotes [\']');
    if (ch === '?' && (this.text[start + 1] === '"' || this.text[start + 1] === "'")) {
      this.fail('use triple double quotes ["""] to define unescaped string literals, not [?"]');
    }
    if (ch === '`') return this.quotedIdentifier(start);
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(this.text[start + 1] ?? ''))) return this.number(start);
    if (/[A-Za-z_@]/.test(ch)) return this.word(start);
    const punct = PUNCTUATION.find((p) => this.text.startsWith(p, start));
    if (punct === undefined) this.fail(`unexpected character ${JSON.stringify(ch)}`);
    this.pos += punct.length;
    return this.token('punct', punct, start);
  }

  private token(kind: TokenKind, value: string, start: number): Token {
    return { kind, value, text: this.text.slice(start, this.pos), at: this.position(start) };
  }

  private word(start: number): Token {
    const m = /^[A-Za-z_@][A-Za-z0-9_]*/.exec(this.text.slice(start)) as RegExpExecArray;
    const word = m[0];
    this.pos += word.length;
    // `name~` is one token (TILDE_IDENTIFIER needs a leading letter); `in~` etc. are keywords.
    if (this.text[this.pos] === '~' && /^[A-Za-z]/.test(word)) {
      this.pos++;
      return TILDE_KEYWORDS.has(word) ? this.token('keyword', `${word}~`, start) : this.token('tildeFunction', word, start);
    }
    return this.token(KEYWORDS.has(word) ? 'keyword' : 'identifier', word, start);
  }

  private quotedIdentifier(start: number): Token {
    let value = '';
    let i = start + 1;
    for (;;) {
      const end = this.text.indexOf('`', i);
      if (end < 0) this.fail('unterminated quoted identifier', start);
      value += this.text.slice(i, end);
      // A doubled backtick is a literal backtick inside the name.
      if (this.text[end + 1] === '`') {
        value += '`';
        i = end + 2;
      } else {
        this.pos = end + 1;
        return this.token('quoted', value, start);
      }
    }
  }

  private number(start: number): Token {
    const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(start)) as RegExpExecArray;
    this.pos += m[0].length;
    return this.token(/^[0-9]+$/.test(m[0]) ? 'integer' : 'decimal', m[0], start);
  }

  private string(start: number): Token {
    const raw = this.rawString(start);
    if (raw !== undefined) return raw;
    let value = '';
    let i = start + 1;
    for (;;) {
      const ch = this.text[i];
      if (ch === undefined || ch === '\r' || ch === '\n') this.fail('unterminated string', start);
      if (ch === '"') break;
      if (ch === '\\') {
        const { text, length } = this.escape(i);
        value += text;
        i += length;
      } else {
        value += ch;
        i++;
      }
    }
    this.pos = i + 1;
    return this.token('string', value, start);
  }

  /**
   * `"""…"""`: no escape processing and no line breaks; it ends at the first `"""`, which may
   * be followed by up to two more quotes that belong to the value (`""""a"""""` is `"a""`).
   */
  private rawString(start: number): Token | undefined {
    if (!this.text.startsWith('"""', start)) return undefined;
    const lineEnd = this.text.slice(start).search(/[\r\n]/);
    const limit = lineEnd < 0 ? this.text.length : start + lineEnd;
    const close = this.text.indexOf('"""', start + 3);
    // Without a closing `"""` on the line, `""` is an empty ordinary string (as ANTLR would lex it).
    if (close < 0 || close + 3 > limit) return undefined;
    let end = close + 3;
    for (let extra = 0; extra < 2 && this.text[end] === '"'; extra++) end++;
    this.pos = end;
    return this.token('string', this.text.slice(start + 3, end - 3), start);
  }

  /** One escape sequence at `at` (the backslash); anything but the grammar's escapes is an error. */
  private escape(at: number): { text: string; length: number } {
    const ch = this.text[at + 1];
    if (ch !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, ch)) {
      return { text: SIMPLE_ESCAPES[ch] as string, length: 2 };
    }
    if (ch === 'u') return this.unicodeEscape(at);
    return this.fail(`invalid escape sequence \\${ch ?? ''} in string (write \\\\ for a backslash, or use """raw""")`, at);
  }

  /** `\u{XX}`: Elasticsearch accepts 2 to 8 hex digits of a valid, non-surrogate code point. */
  private unicodeEscape(at: number): { text: string; length: number } {
    const m = /^\\u\{([0-9A-Fa-f]+)\}/.exec(this.text.slice(at));
    if (m === null) this.fail('invalid unicode escape, expected \\u{XX}', at);
    const hex = m[1] as string;
    if (hex.length < 2 || hex.length > 8) {
      this.fail(`unicode sequence should use [2-8] hex digits, [${m[0]}] has [${hex.length}]`, at);
    }
    const code = parseInt(hex, 16);
    if (code >= 0xd800 && code <= 0xdfff) this.fail(`invalid unicode character code, [${hex}] is a surrogate code`, at);
    if (code > 0x10ffff) this.fail(`invalid unicode character code [${hex}]`, at);
    return { text: String.fromCodePoint(code), length: m[0].length };
  }
}
