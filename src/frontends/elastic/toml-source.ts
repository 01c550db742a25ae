/**
 * Where things are in a detection-rules TOML file. smol-toml gives values, not positions, so
 * this finds the `[rule]` header and the `query` key in the text, and maps an offset inside the
 * query string back to the file: exactly for `'''` literal strings (no escapes: the text is the
 * value, after TOML trims the newline right after the opening delimiter), by line for the others.
 */
import type { SourceLocation } from '../../model/location.js';
import { positionFinder } from '../eql/errors.js';

export interface TomlSource {
  /** The `[rule]` header (or the file's first line). */
  readonly rule: SourceLocation;
  /** The `query = ` line, when there is one. */
  readonly query?: SourceLocation;
  /** Where an offset of the query value is in the file. */
  locateInQuery(offset: number): SourceLocation | undefined;
}

export function tomlSource(file: string, text: string, query: string | undefined): TomlSource {
  const find = positionFinder(text);
  const at = (offset: number): SourceLocation => {
    const p = find(offset);
    return { file, line: p.line, column: p.column };
  };
  const header = /^\[rule\][ \t]*\r?$/m.exec(text);
  const rule = at(header?.index ?? 0);
  const key = /^query[ \t]*=[ \t]*('''|"""|'|")/m.exec(text.slice(header?.index ?? 0));
  if (key === null || query === undefined) return { rule, locateInQuery: () => undefined };
  const keyOffset = (header?.index ?? 0) + key.index;
  let start = keyOffset + key[0].length;
  const delimiter = key[1] as string;
  if (delimiter.length === 3) {
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
  }
  const exact = delimiter === "'''" || delimiter === "'" || text.startsWith(query, start);
  const queryLines = positionFinder(query);
  const startPos = find(start);
  return {
    rule,
    query: at(keyOffset),
    locateInQuery: (offset) => {
      if (exact) return at(start + offset);
      // Escapes shift columns; lines stay (a line-ending backslash aside).
      const p = queryLines(offset);
      return { file, line: startPos.line + p.line - 1, column: p.line === 1 ? startPos.column + p.column - 1 : p.column };
    },
  };
}

/** The offset in `text` of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}
