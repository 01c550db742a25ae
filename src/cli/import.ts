import { statSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { backends } from '../backends/registry.js';
import { compileRules, type TargetOutput } from '../compile.js';
import { loadConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { emitRules } from '../emit/typescript.js';
import { importerNamed, importers } from '../import/registry.js';
import { importFiles, runImport } from '../import/run.js';
import { writeOwnedFiles } from '../output/writer.js';
import { fileSet } from '../snapshots.js';
import { UsageError, UserError } from '../user-error.js';
import { checkOutputFolder } from './args.js';
import { printDiagnostics } from './common.js';
import { progressBar } from './progress.js';

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return new Map([...out].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

const counts = (m: ReadonlyMap<string, number>): string => [...m].map(([k, n]) => `${k} x${n}`).join(', ');

export function importCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'import <format> <paths..>',
    describe: `Import rules you already own (${importers.map((i) => i.name).join(', ') || 'no formats yet'}) and report coverage; --out compiles them into the snapshot layout`,
    builder: (y) =>
      y
        .positional('format', { type: 'string', describe: 'Source format' })
        .positional('paths', { type: 'string', array: true, describe: 'Files or folders' })
        .option('out', { type: 'string', describe: 'Compile every imported rule into <out>/<rule-id>/<target file>' })
        .option('emit', { type: 'string', array: true, nargs: 2, describe: '--emit ts DIR: write the rules as TypeScript DSL modules (with list modules and generated test events) into DIR' })
        .option('verbose', { type: 'boolean', default: false, describe: 'Print every diagnostic, not only errors and counts' })
        .option('format-diagnostics', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'How to print diagnostics' }),
    handler: async (argv) => {
      const args = argv as unknown as { format: string; paths: string[]; out?: unknown; emit?: string[]; verbose: boolean; formatDiagnostics: 'text' | 'json' };
      const importer = importerNamed(args.format);
      if (importer === undefined) throw new UsageError(`unknown import format "${args.format}"; formats are ${importers.map((i) => i.name).join(', ')}.`);
      if (Array.isArray(args.out)) throw new UsageError('--out was given more than once; give it once.');
      const out = typeof args.out === 'string' ? args.out : undefined;
      if (out !== undefined) {
        if (out.trim() === '') throw new UsageError('--out is empty; give it a folder.');
        checkOutputFolder(out, undefined);
      }
      const emitDir = emitFolder(args.emit);
      if (emitDir !== undefined) checkOutputFolder(emitDir, undefined, '--emit ts');
      const files = importFiles(importer, args.paths);
      if (files.length === 0) throw new UserError(`no ${importer.title} files found in ${args.paths.join(', ')}.`);
      const started = Date.now();
      const config = loadConfig();
      const configured = importer.configure?.(config) ?? importer;
      const run = runImport(configured, files, progressBar(`reading ${importer.title}`));
      const outputs: TargetOutput[] = [];
      const compileDiagnostics: Diagnostic[] = [];
      const failed = new Map<string, number>();
      const bar = progressBar('compiling');
      run.rules.forEach((rule, i) => {
        bar?.(i, run.rules.length);
        for (const backend of backends) {
          try {
            const r = compileRules([rule], [backend], { config });
            outputs.push(...r.outputs);
            compileDiagnostics.push(...r.diagnostics);
          } catch (e) {
            failed.set(backend.name, (failed.get(backend.name) ?? 0) + 1);
            compileDiagnostics.push({ code: 'SIEMC-I003', severity: 'error', rule: rule.id, target: backend.name, message: `compiling failed (a bug in siemc; please report it): ${(e as Error).message}` });
          }
        }
      });
      bar?.(run.rules.length, run.rules.length);
      const all = [...run.diagnostics, ...compileDiagnostics];
      printDiagnostics(args.verbose ? all : all.filter((d) => d.severity === 'error'), args.formatDiagnostics);

      const refused = run.diagnostics.filter((d) => d.severity === 'error');
      const lines = [
        `siemc import ${importer.name}: ${run.files} file(s) read, ${run.rules.length} rule(s) imported, ${refused.length} problem(s) kept a rule out (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      ];
      for (const backend of backends) {
        const approximate = new Set(compileDiagnostics.filter((d) => d.target === backend.name && d.code.startsWith('SIEMC-A')).map((d) => d.rule));
        const fails = failed.get(backend.name) ?? 0;
        const compiled = run.rules.length - fails;
        lines.push(`  ${backend.name.padEnd(6)} ${compiled} compiled: ${compiled - approximate.size} exact, ${approximate.size} with named approximations${fails > 0 ? `, ${fails} FAILED` : ''}`);
      }
      if (refused.length > 0) lines.push(`  not imported, by code: ${counts(countBy(refused, (d) => d.code))}`);
      const warnings = all.filter((d) => d.severity === 'warning');
      if (warnings.length > 0) lines.push(`  warnings, by code: ${counts(countBy(warnings, (d) => d.code))}${args.verbose ? '' : ' (--verbose prints them; siemc explain CODE says what each means)'}`);
      if (out !== undefined) {
        const result = await writeOwnedFiles(out, fileSet(outputs));
        lines.push(`  -> ${out}/: ${result.written.length} written, ${result.deleted.length} deleted, ${result.unchanged} unchanged`);
      }
      if (emitDir !== undefined) {
        const root = args.paths.length === 1 && statSync(args.paths[0] as string).isDirectory() ? (args.paths[0] as string) : undefined;
        const emitted = emitRules(run.rules, root === undefined ? {} : { root });
        printDiagnostics(args.verbose ? emitted.diagnostics : emitted.diagnostics.filter((d) => d.severity === 'error'), args.formatDiagnostics);
        const result = await writeOwnedFiles(emitDir, emitted.files);
        const left = emitted.diagnostics.filter((d) => d.severity === 'error').length;
        lines.push(`  -> ${emitDir}/ (TypeScript): ${emitted.files.size} file(s), ${result.written.length} written${left > 0 ? `; ${left} rule(s) left out (SIEMC-E0xx above)` : ''}`);
      }
      if (args.formatDiagnostics === 'text') console.error(lines.join('\n'));
      setExit([...failed.values()].some((n) => n > 0) ? 1 : 0);
    },
  };
}

/** `--emit ts DIR`: the folder, once; any other language is a usage error. */
function emitFolder(emit: readonly string[] | undefined): string | undefined {
  if (emit === undefined || emit.length === 0) return undefined;
  if (emit.length !== 2) throw new UsageError('--emit takes a language and a folder, once: --emit ts DIR.');
  if (emit[0] !== 'ts') throw new UsageError(`--emit ${emit[0] ?? ''}: the only language is ts (--emit ts DIR).`);
  const dir = emit[1] as string;
  if (dir.trim() === '') throw new UsageError('--emit ts needs a folder.');
  return dir;
}
