/** Shared CLI pieces: options every command takes, loading rules, printing diagnostics. */
import { existsSync, readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { backendNamed, backends } from '../backends/registry.js';
import type { Backend } from '../backends/backend.js';
import { codeFrame, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { loadRules, type LoadOptions, type LoadResult } from '../loader/load.js';
import { UserError } from '../user-error.js';
import { checkRulesFolder } from './args.js';

export { UserError, UsageError } from '../user-error.js';

export function withRulesOption<T>(y: Argv<T>) {
  return y.option('rules', { type: 'string', default: 'rules', describe: 'Folder of rule sources (*.ts)' });
}

export function withTargetOptions<T>(y: Argv<T>) {
  return withRulesOption(y)
    .option('out', { type: 'string', default: 'snapshots', describe: 'Output folder: <out>/<rule-id>/<target file>' })
    .option('target', {
      type: 'string',
      array: true,
      choices: backends.map((b) => b.name),
      describe: 'Targets to build (default: all)',
    })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'How to print diagnostics' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Print every approximation in full, not one line per rule and target' });
}

export function selectTargets(names: readonly string[] | undefined): readonly Backend[] {
  if (names === undefined || names.length === 0) return backends;
  return names.map((n) => {
    const b = backendNamed(n);
    if (b === undefined) throw new UserError(`unknown target "${n}"; targets are ${backends.map((t) => t.name).join(', ')}.`);
    return b;
  });
}

export async function loadOrReport(
  rulesDir: string,
  format: 'text' | 'json',
  options: LoadOptions & { readonly onResult?: (result: LoadResult) => void } = {},
): Promise<Rule[] | undefined> {
  checkRulesFolder(rulesDir);
  const result = await loadRules(rulesDir, options);
  options.onResult?.(result);
  const { rules, diagnostics } = result;
  printDiagnostics(diagnostics, format);
  if (diagnostics.some((d) => d.severity === 'error')) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (format === 'text') console.error(`siemc: ${errors} error${errors === 1 ? '' : 's'}; nothing written.`);
    return undefined;
  }
  // An empty or mistyped folder must not pass for "no rules any more": that would delete every output.
  if (rules.length === 0) throw new UserError(`rules folder "${rulesDir}" holds no rules: no .ts module there exports a defineRule(...) value; nothing written.`);
  return [...rules];
}

/** Errors get a code frame; warnings (approximations, often many) keep to one line each. */
function withFrame(d: Diagnostic): Diagnostic {
  if (d.severity !== 'error' || d.frame !== undefined || d.location === undefined || !existsSync(d.location.file)) return d;
  return { ...d, frame: codeFrame(readFileSync(d.location.file, 'utf8'), d.location.line, d.location.column) };
}

/**
 * Errors in full, with code frames. Approximation warnings (a rule may have dozens, a repository
 * thousands) as one line per rule and target with counts by code, unless `verbose`; accepted ones
 * (siemc.config.json `accept`) only counted. JSON prints everything, one object a line.
 */
export function printDiagnostics(diagnostics: readonly Diagnostic[], format: 'text' | 'json', verbose = false): void {
  // One write for all lines: a build of 1,000 rules prints ~4,000, and a write per line took
  // 0.15 s of every build, no-op builds included.
  const lines: string[] = [];
  if (format === 'json') {
    for (const d of diagnostics) lines.push(JSON.stringify(d));
    writeLines(lines);
    return;
  }
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.accepted !== undefined && !verbose) continue;
    if (d.severity === 'error' || verbose || d.rule === undefined) {
      lines.push(formatDiagnostic(withFrame(d)));
      continue;
    }
    const key = `${d.rule}\u0000${d.target ?? ''}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [d]);
    else group.push(d);
  }
  for (const group of groups.values()) lines.push(summaryLine(group));
  const accepted = diagnostics.filter((d) => d.accepted !== undefined).length;
  if (accepted > 0 && !verbose) lines.push(`siemc: ${accepted} accepted approximation(s) not shown (siemc.config.json "accept"; --verbose shows them).`);
  writeLines(lines);
}

/** Standard error, as console.error writes it (synchronous for files, pipes and terminals on POSIX). */
function writeLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

/** `rules/x.ts: warning rule ID, target kql: 24 approximations (SIEMC-A101 x21, SIEMC-A102 x3); --verbose ...` */
function summaryLine(group: readonly Diagnostic[]): string {
  const first = group[0] as Diagnostic;
  const byCode = new Map<string, number>();
  for (const d of group) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const file = first.location === undefined ? '' : `${relativeToCwd(first.location.file)}: `;
  const what = group.length === 1 ? first.message.replace(/\.$/, '') : `${group.length} approximations (${codes.map(([c, n]) => `${c} x${n}`).join(', ')})`;
  return `${file}warning rule ${first.rule ?? '?'}, target ${first.target ?? '?'}: ${what}; --verbose for details, siemc explain ${codes[0]?.[0] ?? ''} for what it means`;
}

function relativeToCwd(file: string): string {
  const cwd = process.cwd();
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

/** With --target, a run answers only for those targets' files; other files in the folder stay as they are. */
export function targetScope(names: readonly string[] | undefined, targets: readonly Backend[]): ((path: string) => boolean) | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const files = new Set(targets.map((t) => t.fileName));
  return (path) => files.has(path.slice(path.lastIndexOf('/') + 1));
}
