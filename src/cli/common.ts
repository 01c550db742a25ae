/** Shared CLI pieces: options every command takes, loading rules, printing diagnostics. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { backendNamed, backends } from '../backends/registry.js';
import type { Backend } from '../backends/backend.js';
import { codeFrame, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import type { Rule } from '../dsl/rule.js';
import { loadRules } from '../loader/load.js';

/** An error in what the user asked for: printed as one sentence, exit 1. */
export class UserError extends Error {}

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
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'How to print diagnostics' });
}

export function selectTargets(names: readonly string[] | undefined): readonly Backend[] {
  if (names === undefined || names.length === 0) return backends;
  return names.map((n) => {
    const b = backendNamed(n);
    if (b === undefined) throw new UserError(`unknown target "${n}"`);
    return b;
  });
}

export async function loadOrReport(rulesDir: string, format: 'text' | 'json'): Promise<Rule[] | undefined> {
  if (!existsSync(rulesDir) || !statSync(rulesDir).isDirectory()) throw new UserError(`rules folder "${rulesDir}" does not exist`);
  const { rules, diagnostics } = await loadRules(rulesDir);
  printDiagnostics(diagnostics, format);
  if (diagnostics.some((d) => d.severity === 'error')) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (format === 'text') console.error(`siemc: ${errors} error${errors === 1 ? '' : 's'}; nothing written.`);
    return undefined;
  }
  return [...rules];
}

/** Errors get a code frame; warnings (approximations, often many) keep to one line each. */
function withFrame(d: Diagnostic): Diagnostic {
  if (d.severity !== 'error' || d.frame !== undefined || d.location === undefined || !existsSync(d.location.file)) return d;
  return { ...d, frame: codeFrame(readFileSync(d.location.file, 'utf8'), d.location.line, d.location.column) };
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], format: 'text' | 'json'): void {
  if (format === 'json') {
    for (const d of diagnostics) console.error(JSON.stringify(d));
    return;
  }
  for (const d of diagnostics) console.error(formatDiagnostic(withFrame(d)));
}
