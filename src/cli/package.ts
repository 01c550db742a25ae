import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { loadConfig } from '../config.js';
import { packageRules } from '../publish/package.js';
import { loadOrReport, printDiagnostics, withRulesOption } from './common.js';

export function packageCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'package',
    describe: 'Write publishable files: Kibana rules (JSON, NDJSON), Splunk savedsearches.conf, Sigma rules',
    builder: (y) =>
      withRulesOption(y)
        .option('out', { type: 'string', default: 'build/packages', describe: 'Output folder' })
        .option('strict', { type: 'boolean', default: false, describe: 'Treat approximations as errors' }),
    handler: async (argv) => {
      const args = argv as unknown as { rules: string; out: string; strict: boolean };
      const rules = await loadOrReport(args.rules, 'text');
      if (rules === undefined) return setExit(1);
      const { files, diagnostics } = packageRules(rules, { strict: args.strict, config: loadConfig() });
      printDiagnostics(diagnostics, 'text');
      if (diagnostics.some((d) => d.severity === 'error')) return setExit(1);
      for (const [path, text] of files) {
        mkdirSync(dirname(join(args.out, path)), { recursive: true });
        writeFileSync(join(args.out, path), text);
      }
      console.error(`siemc: ${files.size} file(s) -> ${args.out}/`);
      setExit(0);
    },
  };
}
