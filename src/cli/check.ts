import type { CommandModule } from 'yargs';
import { compileRules } from '../compile.js';
import { loadConfig } from '../config.js';
import { compareWithDisk, fileSet, type Change } from '../snapshots.js';
import { checkOutputFolder, oneString } from './args.js';
import { loadOrReport, selectTargets, targetScope, withTargetOptions } from './common.js';

const WHAT: Readonly<Record<Change['kind'], string>> = {
  stale: 'is stale',
  missing: 'is missing',
  orphan: 'is an orphan (siemc wrote it; no rule or target produces it now)',
  interrupted: 'says a build was interrupted while writing; some files may be old and some new',
};

export function checkCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'check',
    describe: 'Exit 1, with a diff, when the output folder is not what build would write',
    builder: (y) => withTargetOptions(y),
    handler: async (argv) => {
      const args = argv as unknown as { target?: string[]; format: 'text' | 'json' };
      const rulesDir = oneString(argv, 'rules');
      const out = oneString(argv, 'out');
      const targets = selectTargets(args.target);
      checkOutputFolder(out, rulesDir);
      const rules = await loadOrReport(rulesDir, args.format);
      if (rules === undefined) return setExit(1);
      const { outputs } = compileRules(rules, targets, { config: loadConfig() });
      const changes = compareWithDisk(fileSet(outputs), out, targetScope(args.target, targets));
      for (const c of changes) {
        console.log(`${out}/${c.path} ${WHAT[c.kind]}`);
        if (c.diff !== undefined) console.log(c.diff);
      }
      const fix = `siemc build${rulesDir === 'rules' ? '' : ` --rules ${rulesDir}`}${out === 'snapshots' ? '' : ` --out ${out}`}`;
      if (changes.length > 0) console.log(`siemc: ${changes.length} file(s) differ; run ${fix} and commit the result.`);
      setExit(changes.length > 0 ? 1 : 0);
    },
  };
}
