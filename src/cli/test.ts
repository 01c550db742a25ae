import type { CommandModule } from 'yargs';
import { oneString } from './args.js';
import { loadOrReport, withRulesOption } from './common.js';

/** Loading validates every rule's test events with the reference evaluator; this command reports just that. */
export function testCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'test',
    describe: "Check every rule's test events with the reference evaluator",
    builder: (y) => withRulesOption(y).option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'How to print diagnostics' }),
    handler: async (argv) => {
      const format = (argv as unknown as { format: 'text' | 'json' }).format;
      const rules = await loadOrReport(oneString(argv, 'rules'), format);
      if (rules === undefined) return setExit(1);
      const events = rules.reduce((n, r) => n + r.tests.length, 0);
      if (format === 'text') console.error(`siemc: ${rules.length} rule(s), ${events} test event(s): every verdict is as expected.`);
      setExit(0);
    },
  };
}
