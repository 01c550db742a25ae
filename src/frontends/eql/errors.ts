/** The one error type of the EQL frontend: every rejection carries a 1-based line and column. */

export interface Position {
  /** 0-based offset into the query text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units like editors do. */
  readonly column: number;
}

export class EqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, at: Position) {
    super(`line ${at.line}:${at.column}: ${message}`);
    this.name = 'EqlSyntaxError';
    this.line = at.line;
    this.column = at.column;
  }
}

/** Maps offsets to line/column once per query, so tokens can carry positions cheaply. */
export function positionFinder(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    // Binary search for the last line start at or before the offset.
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
}
