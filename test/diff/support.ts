/**
 * A throw-away git repository holding a copy of the project's rules, under the repository's
 * .cache/ so that the copied rules resolve `siemc` as rules/ does. Cases edit the working tree and
 * `reset()` puts it back, so one repository (and one commit) serves every case.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backends } from '../../src/backends/registry.js';
import type { DiffReport } from '../../src/diff/report.js';
import type { RuleDiff } from '../../src/diff/rule-diff.js';
import { diffWorkingTree } from '../../src/diff/run.js';
import { RULES_DIR } from '../support/rules.js';
import { workspace } from '../support/workspace.js';

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=tests@siemc', '-c', 'user.name=siemc tests', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface TestRepo {
  readonly dir: string;
  readonly rules: string;
  /** Rewrites a file of the working tree (path relative to the repository). */
  edit(path: string, change: (text: string) => string): void;
  write(path: string, text: string): void;
  reset(): void;
  remove(): void;
}

/** A repository whose `main` branch holds `files` (or a copy of the project's rules) in one commit. */
export function testRepo(files?: Readonly<Record<string, string>>, branch = 'main'): TestRepo {
  const dir = workspace();
  const rules = join(dir, 'rules');
  if (files === undefined) cpSync(RULES_DIR, rules, { recursive: true });
  else for (const [path, text] of Object.entries(files)) writeFile(join(dir, path), text);
  git(dir, 'init', '-q', '-b', branch);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base rules');
  return {
    dir,
    rules,
    edit: (path, change) => {
      const file = join(dir, path);
      const before = readFileSync(file, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${path} changed nothing`);
      writeFileSync(file, after);
    },
    write: (path, text) => writeFile(join(dir, path), text),
    reset: () => {
      git(dir, 'checkout', '-q', '--', '.');
      git(dir, 'clean', '-q', '-fd');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export const RULE_FILE = 'rules/windows/connection-to-commonly-abused-web-services/rule.ts';
export const DOMAINS_FILE = 'rules/lists/abused-web-services.ts';

/** The rule's own test events that a deliberate change of meaning makes fail, left out of the edited version. */
export function dropTests(text: string, names: readonly string[]): string {
  return text.replace(/^ {2}tests,$/m, `  tests: tests.filter((t) => !${JSON.stringify(names)}.includes(t.name)),`);
}

/** The diff of the working tree against `main`, in process (no type check: the copied rules are known to type-check; no cache left behind). */
export async function diffOf(repo: TestRepo, base?: string): Promise<DiffReport> {
  const outcome = await diffWorkingTree({ rulesDir: repo.rules, ...(base === undefined ? {} : { base }), backends, config: {}, typecheck: false, cache: false });
  if (outcome.kind === 'errors') throw new Error(outcome.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return outcome.report;
}

export function only(report: DiffReport): RuleDiff {
  const changed = report.rules.filter((r) => r.status !== 'unchanged');
  if (changed.length !== 1) throw new Error(`expected one changed rule, got ${report.rules.map((r) => `${r.name}: ${r.status}`).join('; ')}`);
  return changed[0] as RuleDiff;
}
