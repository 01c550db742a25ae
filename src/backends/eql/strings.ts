/** EQL lexical rules: string literals and field names. */
import { EQL_KEYWORDS } from '../../languages/eql.js';
import { isInvisible } from '../../util/invisible.js';

/**
 * A double-quoted EQL string. Only `\\ \" \n \r \t` and `\u{...}` are escapes, so every
 * backslash is doubled, and other control characters and the invisible ones (bidi controls,
 * zero-width characters: src/util/invisible.ts) use `\u{XX}`, so that a diff shows them.
 * Elasticsearch refuses `\u{...}` of a surrogate: a lone one is written as U+FFFD (the backend
 * reports the leaf, SIEMC-A053).
 */
export function eqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // Elasticsearch wants 2 to 8 hex digits.
    else if (isInvisible(cp)) out += `\\u{${(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp).toString(16).toUpperCase().padStart(2, '0')}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Words the EQL grammar reserves (a field segment spelled like one needs backticks: `event.sequence`), shared with the lexer. */
export { EQL_KEYWORDS };

/** Field names: backticks unless every dotted segment is a plain identifier (`@timestamp` is fine). */
export function eqlField(name: string): string {
  const plain = name
    .split('.')
    .every((seg, i) => !EQL_KEYWORDS.has(seg) && (i === 0 ? /^@?[A-Za-z_][A-Za-z0-9_]*$/ : /^[A-Za-z_][A-Za-z0-9_]*$/).test(seg));
  return plain ? name : `\`${name.replace(/`/g, '``')}\``;
}
