import type { CommandModule } from 'yargs';
import { compileRulesCached } from '../cache/compile-cache.js';
import { projectOf } from '../cache/project.js';
import { loadConfig } from '../config.js';
import { fileSet, writeFileSet } from '../snapshots.js';
import { loadOrReport, printDiagnostics, selectTargets, withTargetOptions } from './common.js';
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
      const args = argv as unknown as { rules: string; out: string; target?: string[]; format: 'text' | 'json'; strict: boolean; watch: boolean };
      const targets = selectTargets(args.target);
      if (args.watch) return watchBuild({ ...args, onlyTargets: args.target === undefined ? undefined : new Set(targets.map((t) => t.fileName)) }, targets);
      const rules = await loadOrReport(args.rules, args.format);
      if (rules === undefined) return setExit(1);
      const { outputs, diagnostics } = compileRulesCached(rules, targets, { strict: args.strict, config: loadConfig() }, projectOf(args.rules).cacheDir);
      printDiagnostics(diagnostics, args.format);
      if (diagnostics.some((d) => d.severity === 'error')) {
        if (args.format === 'text') console.error('siemc: strict mode: approximations are errors; nothing written.');
        return setExit(1);
      }
      writeFileSet(fileSet(outputs), args.out, args.target === undefined ? undefined : new Set(targets.map((t) => t.fileName)));
      const warnings = diagnostics.length === 0 ? '' : ` (${diagnostics.length} approximation warning(s); --strict makes them errors)`;
      if (args.format === 'text') console.error(`siemc: ${rules.length} rule(s) x ${targets.length} target(s) -> ${args.out}/${warnings}`);
      setExit(0);
    },
  };
}
