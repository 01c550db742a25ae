/** Where something was written: a rule source file (TypeScript, YAML, TOML), 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}
