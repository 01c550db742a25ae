/**
 * Lucene RegExp text, as Elasticsearch's `regexp` query and EQL's `regex` read it.
 * Matching is always whole-value, which is also the IR's meaning, so no anchors are added.
 */
import type { Pattern } from '../ir/pattern.js';
import { renderPattern } from '../ir/pattern.js';

/** Characters with meaning in Lucene RegExp (with the default ALL flags), escaped when literal. */
const RESERVED = /[.?+*|{}[\]()"\\#@&<>~]/g;

export function luceneRegexLiteral(text: string): string {
  return text.replace(RESERVED, '\\$&');
}

/** A glob pattern as a Lucene regex (used where a target's glob syntax cannot write a literal `*` or `?`). */
export function patternToLuceneRegex(pattern: Pattern): string {
  return renderPattern(pattern, { anyRun: '.*', oneChar: '.', literal: luceneRegexLiteral });
}

/**
 * An IR regex (portable subset, JavaScript syntax) as Lucene syntax: characters that are
 * plain in JavaScript but operators in Lucene (`# @ & < > ~ "`) get a backslash.
 */
export function irRegexToLucene(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\') {
      out += ch + (source[i + 1] ?? '');
      i++;
    } else if ('#@&<>~"'.includes(ch)) {
      out += `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return out;
}
