import type { CommandModule } from 'yargs';
import { compileRules } from '../compile.js';
import { loadConfig } from '../config.js';
import { fileSet, writeFileSet } from '../snapshots.js';
import { loadOrReport, printDiagnostics, selectTargets, withTargetOptions } from './common.js';

export function buildCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'build',
    describe: 'Compile every rule into every target and write the output folder',
    builder: (y) => withTargetOptions(y).option('strict', { type: 'boolean', default: false, describe: 'Treat approximations as errors' }),
    handler: async (argv) => {
      const args = argv as unknown as { rules: string; out: string; target?: string[]; format: 'text' | 'json'; strict: boolean };
      const targets = selectTargets(args.target);
      const rules = await loadOrReport(args.rules, args.format);
      if (rules === undefined) return setExit(1);
      const { outputs, diagnostics } = compileRules(rules, targets, { strict: args.strict, config: loadConfig() });
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
