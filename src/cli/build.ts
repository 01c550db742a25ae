import type { CommandModule } from 'yargs';
import { compileRulesCached } from '../cache/compile-cache.js';
import { projectOf } from '../cache/project.js';
import { loadConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { findRuleFiles, type LoadResult } from '../loader/load.js';
import { createTypechecker } from '../loader/typecheck.js';
import { buildKey, keptOutputs, readBuildRecord, recordBuild, unchangedBuild } from './build-memo.js';
import { ruleKeys } from '../cache/rule-key.js';
import type { Rule } from '../model/rule.js';
import { writeOwnedFiles } from '../output/writer.js';
import { outputPath } from '../compile.js';
import { checkOutputFolder, checkRulesFolder, oneString } from './args.js';
import { loadOrReport, printDiagnostics, selectTargets, targetScope, withTargetOptions } from './common.js';
import { watchBuild } from './watch.js';

export function buildCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'build',
    describe: 'Compile every rule into every target and write the output folder',
    builder: (y) =>
      withTargetOptions(y)
        .option('strict', { type: 'boolean', default: false, describe: 'Treat approximations as errors' })
        .option('watch', { type: 'boolean', default: false, describe: 'Rebuild on every save; a failed build keeps the previous outputs' }),
    handler: async (argv) => {
      const args = argv as unknown as { target?: string[]; format: 'text' | 'json'; strict: boolean; verbose: boolean; watch: boolean };
      const rulesDir = oneString(argv, 'rules');
      const out = oneString(argv, 'out');
      const targets = selectTargets(args.target);
      checkOutputFolder(out, rulesDir);
      if (args.watch) return watchBuild({ ...args, rules: rulesDir, out, onlyTargets: args.target === undefined ? undefined : new Set(targets.map((t) => t.fileName)) }, targets);
      const config = loadConfig();
      const project = projectOf(rulesDir);
      const summary = (rules: number, written: number, deleted: number, unchanged: number, diagnostics: readonly Diagnostic[]): void => {
        const open = diagnostics.filter((d) => d.accepted === undefined).length;
        const warnings = open === 0 ? '' : ` (${open} approximation warning(s); --strict makes them errors)`;
        const changed = `${written} written, ${deleted} deleted, ${unchanged} unchanged`;
        if (args.format === 'text') console.error(`siemc: ${rules} rule(s) x ${targets.length} target(s) -> ${out}/: ${changed}${warnings}`);
      };

      // Nothing changed since the last build: its record answers (./build-memo.ts).
      checkRulesFolder(rulesDir);
      const files = findRuleFiles(rulesDir);
      const key = buildKey({ config, targets: targets.map((t) => t.name), strict: args.strict, out });
      const previous = readBuildRecord(project.rulesCacheDir, key);
      const record = unchangedBuild(previous, files, out);
      if (record !== undefined && createTypechecker(rulesDir, { stateDir: project.rulesCacheDir }).unchanged(files)?.length === 0) {
        printDiagnostics(record.loadDiagnostics, args.format);
        printDiagnostics(record.compileDiagnostics, args.format, args.verbose);
        summary(record.rules, 0, 0, Object.keys(record.outputs).length - 1, record.compileDiagnostics);
        return setExit(0);
      }

      const compile = (rs: readonly Rule[], coreFree?: () => boolean) =>
        compileRulesCached(rs, targets, { strict: args.strict, config }, project.cacheDir, coreFree === undefined ? {} : { coreFree });
      // The rules compile while the type check runs in its worker; a failed check discards this.
      let compiled: ReturnType<typeof compile> | undefined;
      let loaded: LoadResult | undefined;
      const rules = await loadOrReport(rulesDir, args.format, {
        checkInWorker: true,
        reuseModules: true,
        stopEsbuild: true,
        whileChecking: (rs, coreFree) => (compiled = compile(rs, coreFree)),
        onResult: (r) => (loaded = r),
      });
      const modules = loaded?.modules;
      if (args.verbose && args.format === 'text' && modules !== undefined)
        console.error(`siemc: ${modules.ran} rule module(s) run, ${modules.reused} from the cache`);
      if (rules === undefined) return setExit(1);
      const { outputs, diagnostics } = compiled ?? compile(rules);
      printDiagnostics(diagnostics, args.format, args.verbose);
      if (diagnostics.some((d) => d.severity === 'error')) {
        if (args.format === 'text') console.error('siemc: strict mode: approximations are errors; nothing written.');
        return setExit(1);
      }
      // What produces each output: an output produced as last time, and still as written then, is kept unread.
      const producers = new Map(outputs.map((o) => [outputPath(o), `${ruleKeys(o.rule).compile(config)}:${o.backend.name}`]));
      const kept = keptOutputs(previous, out, producers);
      const written = new Map(outputs.filter((o) => !kept.has(outputPath(o))).map((o) => [outputPath(o), o.text]));
      const result = await writeOwnedFiles(out, written, { scope: targetScope(args.target, targets), kept });
      if (loaded?.inputs !== undefined)
        recordBuild(project.rulesCacheDir, key, files, loaded.inputs, out, producers, previous, {
          rules: rules.length,
          targets: targets.length,
          loadDiagnostics: loaded.diagnostics,
          compileDiagnostics: diagnostics,
        });
      summary(rules.length, result.written.length, result.deleted.length, result.unchanged, diagnostics);
      setExit(0);
    },
  };
}
