import type { CommandModule } from 'yargs';
import { backends } from '../backends/registry.js';
import { loadConfig } from '../config.js';
import { renderMarkdown } from '../diff/render-markdown.js';
import { renderText } from '../diff/render-text.js';
import { failsOn, type FailOn } from '../diff/rule-diff.js';
import { diffWorkingTree } from '../diff/run.js';
import { checkRulesFolder, oneString } from './args.js';
import { printDiagnostics, withRulesOption } from './common.js';

type Format = 'markdown' | 'text' | 'json';
const FAILS: Readonly<Record<FailOn, string>> = {
  broader: 'may match events they did not match at the base (added, broader, or not proved otherwise)',
  narrower: 'may no longer match events they matched at the base (removed, narrower, or not proved otherwise)',
  any: 'changed, were added or were removed',
};

/** Compares the rules at a git commit with the working tree: what each change does to detection. */
export function diffCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'diff',
    describe: 'Compare the rules at a git commit (default: where HEAD left the default branch) with the working tree',
    builder: (y) =>
      withRulesOption(y)
        .option('base', { type: 'string', describe: 'Commit to compare with (default: merge base of HEAD with origin/HEAD, main or master)' })
        .option('format', { choices: ['markdown', 'text', 'json'] as const, default: 'markdown' as const, describe: 'Pull-request Markdown, terminal text or JSON' })
        .option('fail-on', { choices: ['broader', 'narrower', 'any'] as const, describe: 'Exit 1 (after printing) when some rule got broader, narrower, or changed at all' }),
    handler: async (argv) => {
      const args = argv as unknown as { format: Format; failOn?: FailOn };
      const rulesDir = oneString(argv, 'rules');
      const base = argv['base'] === undefined ? undefined : oneString(argv, 'base');
      checkRulesFolder(rulesDir);
      const outcome = await diffWorkingTree({ rulesDir, ...(base === undefined ? {} : { base }), backends, config: loadConfig() });
      const diagnosticsFormat = args.format === 'json' ? 'json' : 'text';
      if (outcome.kind === 'errors') {
        printDiagnostics(outcome.diagnostics, diagnosticsFormat);
        const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
        console.error(`siemc: ${errors} error${errors === 1 ? '' : 's'} in the rules of ${rulesDir}; nothing compared.`);
        return setExit(1);
      }
      printDiagnostics(outcome.warnings, diagnosticsFormat);
      const { report } = outcome;
      if (args.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(args.format === 'markdown' ? renderMarkdown(report) : renderText(report));
      if (args.failOn === undefined) return setExit(0);
      const mode = args.failOn;
      const failing = report.rules.filter((d) => failsOn(d, mode));
      if (failing.length === 0) return setExit(0);
      const names = failing.map((d) => d.name).slice(0, 10).join(', ');
      console.error(`siemc: --fail-on ${args.failOn}: ${failing.length} rule${failing.length === 1 ? '' : 's'} ${FAILS[mode]}: ${names}${failing.length > 10 ? ', ...' : ''}.`);
      setExit(1);
    },
  };
}
