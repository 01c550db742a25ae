import type { CommandModule } from 'yargs';
import { compileRules } from '../compile.js';
import { loadConfig } from '../config.js';
import type { ProjectConfig } from '../config.js';
import type { Rule } from '../model/rule.js';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { lockPath, lockText, readLock } from '../publish/lock.js';
import { publishRules } from '../publish/publish.js';
import { stableJson } from '../util/stable-json.js';
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
      const config = loadConfig();
      const { outputs } = compileRules(rules, targets, { config });
      const changes = compareWithDisk(fileSet(outputs), out, targetScope(args.target, targets));
      for (const c of changes) {
        console.log(`${out}/${c.path} ${WHAT[c.kind]}`);
        if (c.diff !== undefined) console.log(c.diff);
      }
      const fix = `siemc build${rulesDir === 'rules' ? '' : ` --rules ${rulesDir}`}${out === 'snapshots' ? '' : ` --out ${out}`}`;
      if (changes.length > 0) console.log(`siemc: ${changes.length} file(s) differ; run ${fix} and commit the result.`);
      const lockStale = checkLock(rules, config, rulesDir);
      setExit(changes.length > 0 || lockStale ? 1 : 0);
    },
  };
}

/**
 * The version lock, when the project has one: stale when publishing now would change it (a
 * rule's published content changed, a rule was added or removed). Prints what and the fix.
 */
function checkLock(rules: readonly Rule[], config: ProjectConfig, rulesDir: string): boolean {
  const file = lockPath(rulesDir);
  if (!existsSync(file)) return false;
  const lock = readLock(file);
  const next = publishRules(rules, { config, lock }).lock;
  if (lockText(next) === readFileSync(file, 'utf8')) return false;
  const shown = relative('.', file);
  for (const [id, r] of Object.entries(next.rules)) {
    const before = lock.rules[id];
    if (before === undefined) console.log(`${shown}: rule ${id} (${r.name}) is not in the lock`);
    else if (r.removed === true && before.removed !== true) console.log(`${shown}: rule ${id} (${r.name}) is gone from the rules`);
    else if (stableJson(before.hashes) !== stableJson(r.hashes) || before.version !== r.version)
      console.log(`${shown}: rule ${id} (${r.name}) changed its published content; its version becomes ${r.version}`);
  }
  const fix = `siemc publish${rulesDir === 'rules' ? '' : ` --rules ${rulesDir}`}`;
  console.log(`siemc: ${shown} is stale; run ${fix} and commit ${shown}.`);
  return true;
}
