import type { CommandModule } from 'yargs';
import { compileRules } from '../compile.js';
import { loadConfig } from '../config.js';
import { compareWithDisk, fileSet } from '../snapshots.js';
import { loadOrReport, selectTargets, withTargetOptions } from './common.js';

export function checkCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'check',
    describe: 'Exit 1, with a diff, when the output folder is not what build would write',
    builder: (y) => withTargetOptions(y),
    handler: async (argv) => {
      const args = argv as unknown as { rules: string; out: string; target?: string[]; format: 'text' | 'json' };
      const targets = selectTargets(args.target);
      const rules = await loadOrReport(args.rules, args.format);
      if (rules === undefined) return setExit(1);
      const { outputs } = compileRules(rules, targets, { config: loadConfig() });
      const changes = compareWithDisk(fileSet(outputs), args.out, args.target === undefined ? undefined : new Set(targets.map((t) => t.fileName)));
      for (const c of changes) {
        const what = c.kind === 'stale' ? 'is stale' : c.kind === 'missing' ? 'is missing' : 'is an orphan (no rule or target produces it)';
        console.log(`${args.out}/${c.path} ${what}`);
        if (c.diff !== undefined) console.log(c.diff);
      }
      if (changes.length > 0) console.log(`siemc: ${changes.length} file(s) differ; run siemc build (npm run rules) and commit.`);
      setExit(changes.length > 0 ? 1 : 0);
    },
  };
}
