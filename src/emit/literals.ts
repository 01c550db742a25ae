/**
 * TypeScript literal text and names for emitted sources. Every string that reaches a generated
 * module goes through `stringLiteral`, so no value (quotes, backslashes, line terminators, lone
 * surrogates, `${`) can end a literal early or change what it reads as.
 */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

/**
 * Characters written as escapes although a literal could hold some of them: controls, line and
 * paragraph separators (they end a `//` comment and confuse editors), invisible format characters,
 * non-ASCII spaces and the BOM. Printable non-ASCII text (é, 😀) stays readable.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]|(?! )\p{Zs}/u;

const PLAIN = /^[\x20-\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * A TypeScript string literal that reads back as exactly `value`: single-quoted, or double-quoted
 * when that needs fewer escapes (`"O'Brien"`), as the repository's rules are written.
 */
export function stringLiteral(value: string): string {
  // Most values are printable ASCII without quotes or backslashes: nothing to escape.
  if (PLAIN.test(value)) return `'${value}'`;
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  const quote = doubles < singles ? '"' : "'";
  let out = quote;
  // Iterate UTF-16 code units so that lone surrogates are seen (and escaped) one by one.
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const ch = value[i] as string;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const pair = value.slice(i, i + 2);
        out += INVISIBLE.test(pair) ? `\\u{${hex(pair.codePointAt(0) as number, 1)}}` : pair;
        i++;
        continue;
      }
      out += `\\u${hex(unit, 4)}`;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      out += `\\u${hex(unit, 4)}`;
      continue;
    }
    const simple = ch === quote ? `\\${quote}` : ch === "'" || ch === '"' ? ch : SIMPLE_ESCAPES[ch];
    if (simple !== undefined) out += simple;
    else if (INVISIBLE.test(ch)) out += unit <= 0xff ? `\\x${hex(unit, 2)}` : `\\u${hex(unit, 4)}`;
    else out += ch;
  }
  return `${out}${quote}`;
}

/** Number literal text that reads back as the same double (`-0` included). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} has no literal`);
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Words that cannot name a binding in a module (strict mode), plus names that would shadow globals rules use. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this ' +
    'throw true try typeof var void while with yield await arguments eval undefined NaN Infinity globalThis Object Array String ' +
    'Number Boolean Symbol Map Set Error JSON Math Date RegExp Promise process console'
  ).split(' '),
);

/** ASCII words of a name: `Suspicious PowerShell (encoded)` -> suspicious, PowerShell, encoded; camelCase is split too. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

/** A camelCase identifier from free text, or `fallback` when the text has no ASCII letters or digits. */
export function camelName(text: string, fallback: string): string {
  const ws = words(text);
  if (ws.length === 0) return fallback;
  const [first, ...rest] = ws.map((w) => w.toLowerCase()) as [string, ...string[]];
  let name = first + rest.map((w) => (w[0] as string).toUpperCase() + w.slice(1)).join('');
  if (/^[0-9]/.test(name)) name = fallback + name[0]?.toUpperCase() + name.slice(1);
  // Long titles make unreadable names; the first words say enough.
  if (name.length > 60) name = name.slice(0, 60).replace(/[0-9]+$/, '');
  return RESERVED.has(name) ? `${name}Value` : name;
}

/** A kebab-case file or folder name from free text, or `fallback`. */
export function kebabName(text: string, fallback: string): string {
  const ws = words(text).map((w) => w.toLowerCase());
  if (ws.length === 0) return fallback;
  let name = ws.join('-');
  if (name.length > 80) name = name.slice(0, 80).replace(/-[^-]*$/, '');
  return name;
}

/** Hands out distinct names in one scope: `name`, `name2`, `name3` ... */
export class NameScope {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }
  has(name: string): boolean {
    return this.used.has(name);
  }
  claim(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name) || RESERVED.has(name); n++) name = `${base}${n}`;
    this.used.add(name);
    return name;
  }
}

/** An object key: bare when it is an identifier, else a string literal. */
export function propertyKey(key: string): string {
  // `__proto__: x` (bare or quoted) sets the prototype; only a computed key makes it a property.
  if (key === '__proto__') return `[${stringLiteral(key)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : stringLiteral(key);
}

/** Text safe inside a `//` comment: no line terminators or other invisible characters. */
export function commentText(text: string): string {
  return [...text].map((ch) => (INVISIBLE.test(ch) || /[\ud800-\udfff]/.test(ch) ? '?' : ch)).join('');
}
