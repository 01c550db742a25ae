import type { CommandModule } from 'yargs';
import { loadConfig } from '../config.js';
import { writeOwnedFiles } from '../output/writer.js';
import { checkOutputFolder, oneString } from './args.js';
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
      const args = argv as unknown as { strict: boolean };
      const rulesDir = oneString(argv, 'rules');
      const out = oneString(argv, 'out');
      checkOutputFolder(out, rulesDir);
      const config = loadConfig();
      const rules = await loadOrReport(rulesDir, 'text');
      if (rules === undefined) return setExit(1);
      const { packageRules } = await import('../publish/package.js'); // Handlebars: only this command needs it
      const { files, diagnostics } = packageRules(rules, { strict: args.strict, config });
      printDiagnostics(diagnostics, 'text');
      if (diagnostics.some((d) => d.severity === 'error')) return setExit(1);
      const result = await writeOwnedFiles(out, files);
      console.error(`siemc: ${files.size} file(s) -> ${out}/: ${result.written.length} written, ${result.deleted.length} deleted, ${result.unchanged} unchanged`);
      setExit(0);
    },
  };
}
