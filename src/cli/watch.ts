/**
 * `siemc build --watch`: builds, then rebuilds on every save in the rules folder, printing what
 * changed. A build that fails writes nothing, so the previous outputs stay until it passes.
 * The type checker and the caches persist between builds, so a rebuild does only what changed.
 */
import { existsSync, statSync, watch } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { compileRulesCached } from '../cache/compile-cache.js';
import { projectOf } from '../cache/project.js';
import { loadConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { loadRules } from '../loader/load.js';
import { createTypechecker } from '../loader/typecheck.js';
import { writeOwnedFiles } from '../output/writer.js';
import { fileSet, type FileSet } from '../snapshots.js';
import { printDiagnostics, UserError } from './common.js';

export interface WatchArgs {
  readonly rules: string;
  readonly out: string;
  readonly strict: boolean;
  readonly format: 'text' | 'json';
  /** The output files of the targets built, or undefined for all. */
  readonly onlyTargets: ReadonlySet<string> | undefined;
}

/** Output paths that differ between two builds. */
function changedPaths(before: FileSet, after: FileSet): string[] {
  const out = [...after].filter(([p, text]) => before.get(p) !== text).map(([p]) => p);
  for (const p of before.keys()) if (!after.has(p)) out.push(`${p} (removed)`);
  return out;
}

const summary = (paths: readonly string[]): string =>
  paths.length === 0 ? 'no output changed' : `${paths.length} output file(s) changed: ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ', ...' : ''}`;

export async function watchBuild(args: WatchArgs, targets: readonly Backend[]): Promise<void> {
  if (!existsSync(args.rules) || !statSync(args.rules).isDirectory()) throw new UserError(`rules folder "${args.rules}" does not exist`);
  const project = projectOf(args.rules);
  const typechecker = createTypechecker(args.rules, { stateDir: project.rulesCacheDir });
  let previous: FileSet | undefined;
  const log = (line: string): void => {
    if (args.format === 'text') console.error(`siemc: ${line}`);
  };

  const buildOnce = async (): Promise<void> => {
    const started = performance.now();
    const { rules, diagnostics } = await loadRules(args.rules, { typechecker });
    const errors = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');
    if (errors(diagnostics).length > 0) {
      printDiagnostics(diagnostics, args.format);
      return log(`${errors(diagnostics).length} error(s); previous outputs kept. Watching for changes.`);
    }
    const compiled = compileRulesCached(rules, targets, { strict: args.strict, config: loadConfig() }, project.cacheDir);
    // Warnings are many and the same on every save: errors only, and a count.
    printDiagnostics(errors(compiled.diagnostics), args.format);
    if (errors(compiled.diagnostics).length > 0) return log('strict mode: approximations are errors; previous outputs kept. Watching for changes.');
    const files = fileSet(compiled.outputs);
    const only = args.onlyTargets;
    const result = await writeOwnedFiles(args.out, files, only === undefined ? {} : { scope: (p) => only.has(p.slice(p.lastIndexOf('/') + 1)) });
    const changed = previous === undefined ? [...result.written, ...result.deleted.map((p) => `${p} (removed)`)] : changedPaths(previous, files);
    previous = files;
    const warnings = compiled.diagnostics.length === 0 ? '' : `, ${compiled.diagnostics.length} approximation warning(s)`;
    log(`${rules.length} rule(s) (${compiled.stats.compiled} compiled, ${compiled.stats.reused} cached${warnings}) in ${(performance.now() - started).toFixed(0)} ms; ${summary(changed)}. Watching for changes.`);
  };

  let running: Promise<void> = buildOnce();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const rerun = (): void => {
    const names = [...pending].sort();
    pending = new Set();
    running = running.then(async () => {
      log(`changed: ${names.join(', ')}`);
      await buildOnce();
    });
    running.catch((e: unknown) => log(`build failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  await running;
  const rulesDir = resolve(args.rules);
  watch(rulesDir, { recursive: true }, (_event, name) => {
    if (name === null) return;
    pending.add(name);
    // Editors save in bursts (temp file, rename): one rebuild per burst.
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(rerun, 150);
  });
  await new Promise<void>(() => undefined);
}
