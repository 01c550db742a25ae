/**
 * IR regexes (JavaScript syntax, `u` and `s` flags, whole-value) as Sigma `|re` values (PCRE,
 * unanchored search). The DSL keeps sources in a portable subset (docs/semantics.md) where the
 * two read alike; an IR built by other means may go beyond it, so the translation is token by
 * token: constructs whose PCRE meaning differs are rewritten to an equivalent (`\s`, `\v`,
 * `\u`, `[]`, `[^]`, `[` inside a class), and the ones that cannot be rewritten locally are
 * returned as issues for a diagnostic. Case is the caller's business: it writes ASCII folding
 * out (`[aA]`) before calling, because Sigma's `|i` would fold all of Unicode.
 */

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262), as PCRE class content. PCRE's `\s` is ASCII only. */
const JS_SPACE = '\\t\\n\\x{B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

export interface SigmaRegex {
  /** The `|re` value: the IR regex anchored as `^(?:...)$`. */
  readonly text: string;
  /** The regex has a `.` outside a class, so the `|s` (dot-all) flag is needed for the IR's meaning. */
  readonly dotAll: boolean;
  /** Constructs whose PCRE meaning differs from JavaScript's and could not be rewritten. */
  readonly issues: readonly string[];
}

function hex(cp: number): string {
  return `\\x{${cp.toString(16).toUpperCase()}}`;
}

export function irRegexToSigma(source: string): SigmaRegex {
  const issues = new Set<string>();
  let out = '';
  let dotAll = false;
  let inClass = false;
  let i = 0;
  const at = (k: number): string => source[k] ?? '';
  while (i < source.length) {
    const ch = at(i);
    if (ch === '\\') {
      const next = at(i + 1);
      // `\u{X}` and `\uXXXX` (a surrogate pair is one code point in `u` mode) are `\x{X}` in PCRE.
      const braced = /^u\{([0-9a-fA-F]+)\}/.exec(source.slice(i + 1));
      const fixed = /^u([0-9a-fA-F]{4})/.exec(source.slice(i + 1));
      if (braced !== null) {
        out += hex(parseInt(braced[1] as string, 16));
        i += 1 + braced[0].length;
        continue;
      }
      if (fixed !== null) {
        let cp = parseInt(fixed[1] as string, 16);
        let used = 1 + fixed[0].length;
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(source.slice(i + used));
        if (cp >= 0xd800 && cp <= 0xdbff && low !== null) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
          used += low[0].length;
        }
        out += hex(cp);
        i += used;
        continue;
      }
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else if (next === 'v') out += hex(0x0b); // PCRE's `\v` is a class of vertical space, not VT
      else {
        if (next === 'S') issues.add('`\\S` inside a character class (PCRE\'s `\\S` also matches non-ASCII spaces)');
        if ((next === 'p' || next === 'P') && !/^[pP]\{[A-Z][a-z]?\}/.test(source.slice(i + 1))) {
          issues.add('a Unicode property other than a general category (PCRE names properties differently)');
        }
        out += ch + next;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      // PCRE reads `[:alpha:]` inside a class as a POSIX class; JavaScript reads `[` literally.
      out += ch === '[' ? '\\[' : ch;
      i++;
      continue;
    }
    if (ch === '[') {
      if (at(i + 1) === ']') {
        out += '(?!)'; // JavaScript's empty class matches nothing; PCRE would read `]` as a member
        i += 2;
      } else if (source.startsWith('[^]', i)) {
        out += '[\\s\\S]';
        i += 3;
      } else {
        inClass = true;
        // A leading `]` (or `^]`) would be literal in PCRE; in JavaScript `u` mode it cannot occur.
        out += ch;
        i++;
      }
      continue;
    }
    if (ch === '.') dotAll = true;
    if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
      issues.add('lookbehind (PCRE requires a bounded length)');
    }
    out += ch;
    i++;
  }
  return { text: `^(?:${out})$`, dotAll, issues: [...issues] };
}
