/**
 * TOML laid out as Elastic detection-rules' formatter (detection_rules/rule_formatter.py) lays out
 * its rule files, so a published file reads like the files in their repository and their
 * `toml-lint` leaves it alone:
 *
 * - tables in the order `[metadata]`, `[rule]`; inside a table the keys sorted, scalars and flat
 *   arrays first, then `query`, then arrays of tables (`[[rule.threat]]`), in the rule's order,
 *   then sub-tables (`[rule.new_terms]`, `[rule.threshold]`) with their own arrays of tables;
 * - `query` as a literal block, `query = '''` + newline + the query + newline + `'''`, after a
 *   blank line and followed by two blank lines when tables follow (so it reads back with a final
 *   newline, which detection-rules strips); an empty query is left out, as theirs is;
 * - every other table header after one blank line; the file ends with one newline;
 * - free text (`description`, `name`) with its whitespace collapsed and wrapped at 120
 *   columns into a `"""` block when it takes more than a line (detection-rules normalises that
 *   whitespace when it loads the file); a single line holding `"` is written as a block too;
 * - Markdown (`note`, `setup`) verbatim in a `"""` block that starts on the key's line;
 * - a short single-line string as a JSON-style quoted string, non-ASCII as `\u` escapes;
 * - an array of strings longer than 100 characters one item a line, indented by 4, with a
 *   trailing comma; an item longer than 110 characters with spaces as an indented `"""` block.
 *
 * Where their formatter would write invalid TOML (control characters, `'''` inside a query, `"""`
 * inside text), this writer escapes instead, so every file parses as what it says; invisible
 * characters (src/util/invisible.ts) are escaped too, so a reviewer sees them.
 */
import { hasInvisible, isInvisible } from '../../util/invisible.js';

export type TomlScalar = string | number | boolean;
export type TomlValue = TomlScalar | readonly string[];
/** A table: key -> value, in any order (the writer sorts). `undefined` values are left out. */
export type TomlTable = { readonly [key: string]: TomlValue | undefined };
/** An array-of-tables entry with its sub-tables: `[[rule.threat]]` and its `technique` entries. */
export interface TomlEntry {
  readonly values: TomlTable;
  /** Sub-tables written after the entry's values, in this order: `[[name]]` arrays, then `[name]` tables. */
  readonly arrays?: readonly { readonly key: string; readonly entries: readonly TomlEntry[] }[];
  readonly tables?: readonly { readonly key: string; readonly values: TomlTable }[];
}

export interface TomlSection {
  readonly name: string;
  readonly values: TomlTable;
  /** Keys whose text is Markdown, kept verbatim. */
  readonly markdown?: readonly string[];
  /** Written last among the values, as a literal block. */
  readonly query?: string;
  readonly arrays?: readonly { readonly key: string; readonly entries: readonly TomlEntry[] }[];
  /** Sub-tables after the arrays, each with its own arrays: `[rule.threshold]`, then `[[rule.threshold.cardinality]]`. */
  readonly tables?: readonly { readonly key: string; readonly entry: TomlEntry }[];
}

const WIDTH = 120;

/** Python's textwrap.wrap(width=120, break_long_words=False, break_on_hyphens=False) over collapsed whitespace. */
export function wrapText(text: string, indent = 0): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = pad + word;
    else if (line.length + 1 + word.length <= WIDTH) line += ` ${word}`;
    else {
      lines.push(line);
      line = pad + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

const hex = (c: string, width: 4 | 8): string => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(width, '0');

/** A basic string's escapes: backslash, quote, control characters; non-ASCII as `\u`/`\U` like Python's json.dumps. */
export function basicString(text: string): string {
  let out = '"';
  for (const c of text.replace(/\p{Cs}/gu, '\uFFFD')) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (code < 0x20 || code === 0x7f || (code > 0x7e && code <= 0xffff)) out += `\\u${hex(c, 4)}`;
    else if (code > 0xffff) out += `\\U${hex(c, 8)}`;
    else out += c;
  }
  return `${out}"`;
}

/** The body of a `"""` block: newlines and tabs raw, everything TOML would read differently escaped. */
function multilineBody(text: string): string {
  let out = '';
  for (const c of text.replace(/\p{Cs}/gu, '\uFFFD')) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\\') out += '\\\\';
    else if (c === '\r') out += '\\r';
    else if (c !== '\n' && c !== '\t' && (code < 0x20 || code === 0x7f || isInvisible(code))) out += `\\u${hex(c, 4)}`;
    else out += c;
  }
  // No run of three quotes may close the block early, and none may touch the closing delimiter.
  return out.replace(/"""/g, '""\\"').replace(/"$/, '\\"');
}

/** Free text: one wrapped line as a quoted string, more as a block that starts on the next line. */
function freeText(text: string): string {
  const lines = wrapText(text);
  if (lines.length === 1 && text.includes('"')) lines.push('');
  if (lines.length <= 1) return basicString(text);
  return `"""\n${multilineBody(lines.map((l) => (l === '' ? '' : `${l}\n`)).join(''))}"""`;
}

/** Markdown kept as written: a block that opens on the key's line once the text has a line break inside (Python's splitlines). */
function markdownText(text: string): string {
  const breaks = /[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;
  if (breaks.test(text.replace(/(?:\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029])$/, ''))) {
    // TOML drops a newline right after the opening quotes: a text that starts with one gets one more.
    return `"""${/^\r?\n/.test(text) ? '\n' : ''}${multilineBody(text)}"""`;
  }
  const literal = text.includes('"') && !text.includes("'") && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text);
  return literal ? `'${text}'` : basicString(text);
}

function stringList(items: readonly string[]): string {
  if (items.reduce((n, s) => n + s.length + 3, 0) <= 100) return `[${items.map(freeText).join(', ')}]`;
  const lines = items.map((item) =>
    item.length > WIDTH - 10 && item.includes(' ') ? `    """\n${multilineBody(wrapText(item, 4).map((l) => `${l}\n`).join(''))}    """` : `    ${freeText(item)}`,
  );
  return `[\n${lines.join(',\n')},\n]`;
}

function value(v: TomlValue, asMarkdown: boolean): string {
  if (typeof v === 'string') return asMarkdown ? markdownText(v) : freeText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return stringList(v);
}

function keyValues(values: TomlTable, markdown: readonly string[] = []): string {
  return Object.keys(values)
    .sort()
    .flatMap((k) => {
      const v = values[k];
      return v === undefined ? [] : [`${k} = ${value(v, markdown.includes(k))}\n`];
    })
    .join('');
}

/** A query as a literal block when TOML's literal strings can hold it, else as an escaped block. */
function queryBlock(query: string): string {
  const q = query.trim();
  if (!q.includes("'''") && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(q) && !hasInvisible(q.replace(/[\n\t]/g, ''))) return `query = '''\n${q}\n'''\n`;
  return `query = """\n${multilineBody(q)}\n"""\n`;
}

function entries(prefix: string, arrays: TomlSection['arrays']): string {
  let out = '';
  for (const { key, entries: list } of arrays ?? []) {
    for (const entry of list) {
      out += `\n[[${prefix}.${key}]]\n${keyValues(entry.values)}`;
      out += entries(`${prefix}.${key}`, entry.arrays);
      for (const table of entry.tables ?? []) out += `\n[${prefix}.${key}.${table.key}]\n${keyValues(table.values)}`;
    }
  }
  return out;
}

export function tomlDocument(sections: readonly TomlSection[]): string {
  return sections
    .map((s) => {
      let out = `[${s.name}]\n${keyValues(s.values, s.markdown)}`;
      let tables = entries(s.name, s.arrays);
      for (const { key, entry } of s.tables ?? []) tables += `\n[${s.name}.${key}]\n${keyValues(entry.values)}${entries(`${s.name}.${key}`, entry.arrays)}`;
      if (s.query !== undefined && s.query.trim() !== '') out += `\n${queryBlock(s.query)}${tables === '' ? '' : '\n'}`;
      return out + tables;
    })
    .join('\n');
}
