/**
 * Loads the rules as they were at a commit. The commit's whole tree is written into a temporary
 * folder under the repository (`.siemc/cache/diff-XXXX`), so a rule there resolves `siemc`,
 * node_modules and its relative imports (shared lists, helpers anywhere in the tree) exactly as
 * the working tree's rules do. The folder is removed afterwards, also on SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { loadRules } from '../loader/load.js';
import { extractCommit } from './git.js';

/** Where temporary trees live, relative to the repository root (`.siemc/` is git-ignored by `siemc init`). */
export const CACHE_DIR = join('.siemc', 'cache');

export interface LoadedBase {
  readonly rules: readonly Rule[];
  readonly diagnostics: readonly Diagnostic[];
  /** False when the rules folder did not exist at that commit (every rule is then added). */
  readonly folderExisted: boolean;
  /** The temporary tree the rules were loaded from (gone when this returns), to map paths back. */
  readonly tree: string;
}

/**
 * The rules of `rulesRel` (relative to `root`) at `commit`. The type check is skipped: the base was
 * committed (and checked when it was), and a newer siemc's types must not stop the comparison;
 * loading still runs and validates every rule. Nothing is cached for it (the tree is temporary).
 */
export async function loadRulesAtCommit(root: string, commit: string, rulesRel: string): Promise<LoadedBase> {
  const cache = join(root, CACHE_DIR);
  mkdirSync(cache, { recursive: true });
  const temp = mkdtempSync(join(cache, 'diff-'));
  const remove = (): void => rmSync(temp, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const tree = join(temp, 'tree');
    mkdirSync(tree);
    extractCommit(root, commit, tree, join(temp, 'index'));
    const dir = join(tree, rulesRel);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return { rules: [], diagnostics: [], folderExisted: false, tree };
    // No cache: the tree is gone afterwards, and a cache keyed by its path would only pile up.
    const { rules, diagnostics } = await loadRules(dir, { typecheck: false, cache: false });
    return { rules, diagnostics, folderExisted: true, tree };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    remove();
  }
}
