/**
 * Reads a source map's `mappings` lazily, one generated line at a time and only as far as a
 * lookup needs. A rule module's DSL calls sit in its first lines and its test events below,
 * so most of a map is never decoded (Node's SourceMap decodes all of it up front: 0.4 s and
 * hundreds of MB for 1,000 rules).
 */
const BASE64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64[c.charCodeAt(0)] = i));

export interface OriginalPosition {
  /** Index into the map's `sources`. */
  readonly source: number;
  /** 0-based. */
  readonly line: number;
  /** 0-based. */
  readonly column: number;
}

export class LazySourceMap {
  /** Per decoded generated line: [generatedColumn, source, line, column] repeated. */
  private readonly lines: Int32Array[] = [];
  private pos = 0;
  private source = 0;
  private line = 0;
  private column = 0;

  constructor(private readonly mappings: string) {}

  /** The original position at or before a 0-based generated position, if that line has any. */
  find(line: number, column: number): OriginalPosition | undefined {
    while (this.lines.length <= line && this.pos <= this.mappings.length) this.decodeLine();
    const segs = this.lines[line];
    if (segs === undefined || segs.length === 0) return undefined;
    let best = -1;
    for (let i = 0; i < segs.length; i += 4) {
      if ((segs[i] as number) <= column) best = i;
      else break;
    }
    if (best < 0) best = 0;
    return { source: segs[best + 1] as number, line: segs[best + 2] as number, column: segs[best + 3] as number };
  }

  private vlq(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const digit = BASE64[this.mappings.charCodeAt(this.pos++)] ?? -1;
      if (digit < 0) throw new Error('invalid source map');
      result += (digit & 31) << shift;
      shift += 5;
      if ((digit & 32) === 0) break;
    }
    return result & 1 ? -(result >>> 1) : result >>> 1;
  }

  private decodeLine(): void {
    const out: number[] = [];
    let generated = 0;
    const text = this.mappings;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 59 /* ; */) break;
      if (c === 44 /* , */) {
        this.pos++;
        continue;
      }
      generated += this.vlq();
      const next = text.charCodeAt(this.pos);
      if (this.pos < text.length && next !== 44 && next !== 59) {
        this.source += this.vlq();
        this.line += this.vlq();
        this.column += this.vlq();
        const after = text.charCodeAt(this.pos);
        if (this.pos < text.length && after !== 44 && after !== 59) this.vlq(); // name index
        out.push(generated, this.source, this.line, this.column);
      }
    }
    this.pos++; // past the `;` (or the end)
    this.lines.push(Int32Array.from(out));
  }
}
