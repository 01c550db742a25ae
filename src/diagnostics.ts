/** Diagnostics: stable codes, a severity, and where (rule, target, clause, source line). */
import type { DiagnosticCode } from './codes.js';
import type { SourceLocation } from './model/location.js';

export type Severity = 'error' | 'warning';
/** Which way an approximation moves the set of matched events. */
export type Direction = 'widened' | 'narrowed' | 'not expressible';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly rule?: string;
  readonly target?: string;
  readonly clause?: string;
  readonly direction?: Direction;
  readonly location?: SourceLocation;
  /** A code frame of the source around `location`, when known. */
  readonly frame?: string;
  /** Set when siemc.config.json accepts this approximation: the reason given there. Never an error. */
  readonly accepted?: string;
}

export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const where = d.location === undefined ? '' : `${relative(d.location.file, cwd)}:${d.location.line}:${d.location.column}: `;
  const context = [
    d.rule === undefined ? undefined : `rule ${d.rule}`,
    d.target === undefined ? undefined : `target ${d.target}`,
    d.clause === undefined ? undefined : `clause ${d.clause}`,
    d.direction === undefined ? undefined : d.direction,
  ].filter((x) => x !== undefined);
  const suffix = context.length === 0 ? '' : ` [${context.join('; ')}]`;
  const head = `${where}${d.severity} ${d.code}: ${d.message}${suffix}`;
  return d.frame === undefined ? head : `${head}\n${d.frame}`;
}

function relative(file: string, cwd: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

/** A code frame: the lines around `line`, with a caret under `column` (both 1-based). */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split('\n');
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}
