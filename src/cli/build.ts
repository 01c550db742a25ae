import type { CommandModule } from 'yargs';
import { compileRulesCached } from '../cache/compile-cache.js';
import { projectOf } from '../cache/project.js';
import { loadConfig } from '../config.js';
import { writeOwnedFiles } from '../output/writer.js';
import { fileSet } from '../snapshots.js';
import { checkOutputFolder, oneString } from './args.js';
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
      const rules = await loadOrReport(rulesDir, args.format);
      if (rules === undefined) return setExit(1);
      const { outputs, diagnostics } = compileRulesCached(rules, targets, { strict: args.strict, config }, projectOf(rulesDir).cacheDir);
      printDiagnostics(diagnostics, args.format, args.verbose);
      if (diagnostics.some((d) => d.severity === 'error')) {
        if (args.format === 'text') console.error('siemc: strict mode: approximations are errors; nothing written.');
        return setExit(1);
      }
      const result = await writeOwnedFiles(out, fileSet(outputs), { scope: targetScope(args.target, targets) });
      const open = diagnostics.filter((d) => d.accepted === undefined).length;
      const warnings = open === 0 ? '' : ` (${open} approximation warning(s); --strict makes them errors)`;
      const changed = `${result.written.length} written, ${result.deleted.length} deleted, ${result.unchanged} unchanged`;
      if (args.format === 'text') console.error(`siemc: ${rules.length} rule(s) x ${targets.length} target(s) -> ${out}/: ${changed}${warnings}`);
      setExit(0);
    },
  };
}
