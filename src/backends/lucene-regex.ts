/**
 * Lucene RegExp text, as Elasticsearch's `regexp` query and EQL's `regex` read it.
 * Matching is always whole-value, which is also the IR's meaning, so no anchors are added.
 */
import type { Pattern } from '../ir/pattern.js';
import { renderPattern } from '../ir/pattern.js';
import { foldAsciiCase, regexToLucene } from '../ir/regex.js';

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
 * An IR regex node's source as Lucene RegExp, always case-sensitive: ignoring case is written
 * out with `foldAsciiCase`, because Lucene's own flag does not fold character ranges.
 */
export function irRegexToLucene(source: string, caseInsensitive: boolean): string {
  return regexToLucene(caseInsensitive ? foldAsciiCase(source) : source);
}
