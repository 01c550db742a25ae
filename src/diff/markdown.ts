/**
 * Markdown for user text that may come from anyone's pull request: rule names, values, witness
 * events. Prose is escaped (no HTML, links, emphasis or @mentions get through); values go in code
 * spans and fences long enough that no backtick run inside can close them.
 */

const longestRun = (text: string): number => Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));

/** Text in prose: Markdown punctuation backslash-escaped, HTML made inert, mentions broken. */
export function mdText(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]#!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@&#8203;');
}

/** Text inside an HTML element such as `<summary>`, where Markdown is not read. */
export function htmlText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/@/g, '@&#8203;');
}

/** An inline code span (one line). */
export function code(text: string): string {
  const one = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestRun(one) + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || one.startsWith(' ') ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** A code span inside a table cell, where `|` would end the cell even in code. */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** Prose inside a table cell. */
export function cellText(text: string): string {
  return mdText(text);
}

/** A fenced block. */
export function fence(lang: string, text: string): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return `${ticks}${lang}\n${text.replace(/\n$/, '')}\n${ticks}\n`;
}

/** A folded block; the blank lines let GitHub read the Markdown inside. */
export function details(summaryHtml: string, body: string): string {
  return `<details><summary>${summaryHtml}</summary>\n\n${body.replace(/\n+$/, '')}\n\n</details>\n`;
}
