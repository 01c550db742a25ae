/**
 * The few git operations `siemc diff` needs: find the repository of the rules folder, resolve the
 * base commit, and write one commit's files into a folder. Git runs as a child process with
 * argument arrays (no shell); nothing here changes the repository's index, HEAD or worktrees.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../user-error.js';

export interface GitResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function git(args: readonly string[], cwd: string, env?: Readonly<Record<string, string>>): GitResult {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError('siemc diff needs git, and no `git` program was found on PATH; install git or add it to PATH.');
    throw r.error;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The top folder of the git working tree that holds `dir` (a real path). */
export function repositoryRoot(dir: string): string {
  const r = git(['rev-parse', '--show-toplevel'], dir);
  if (r.status !== 0 || r.stdout.trim() === '') {
    throw new UserError(`"${dir}" is not inside a git repository; siemc diff compares the rules at a git commit with the working tree, so run it in your rules repository.`);
  }
  return realpathSync(r.stdout.trim());
}

/** The commit a revision names, or undefined. `--end-of-options` keeps a REF that starts with `-` from being read as an option. */
export function commitOf(root: string, rev: string): string | undefined {
  const r = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], root);
  const sha = r.stdout.trim();
  return r.status === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

export interface Base {
  /** What the user sees: the ref as given, or `merge-base(HEAD, main)`. */
  readonly name: string;
  readonly commit: string;
}

/** Default branches tried in order when --base is not given. */
export const DEFAULT_BRANCHES = ['origin/HEAD', 'main', 'master'] as const;

/** The commit to compare with: `--base REF` itself, else the merge base of HEAD with the default branch. */
export function resolveBase(root: string, ref: string | undefined): Base {
  if (ref !== undefined) {
    const commit = commitOf(root, ref);
    if (commit === undefined) throw new UserError(`--base "${ref}" does not name a commit in ${root}; give a branch, tag or commit (e.g. origin/main), fetched locally.`);
    return { name: ref, commit };
  }
  const head = commitOf(root, 'HEAD');
  if (head === undefined) throw new UserError(`the repository ${root} has no commit yet; commit the rules once, or pass --base REF.`);
  const branch = DEFAULT_BRANCHES.find((b) => commitOf(root, b) !== undefined);
  if (branch === undefined) throw new UserError(`found no default branch to compare with in ${root} (tried ${DEFAULT_BRANCHES.join(', ')}); pass --base REF.`);
  const r = git(['merge-base', 'HEAD', branch], root);
  const commit = r.stdout.trim();
  if (r.status !== 0 || commit === '') throw new UserError(`HEAD and ${branch} have no common ancestor in ${root}; pass --base REF.`);
  return { name: `merge-base(HEAD, ${branch})`, commit };
}

/** A short commit name for reports. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

/**
 * Writes every file of `commit` under `into` (which must exist and be empty), through a private
 * index file: the repository's own index, HEAD and worktree list stay untouched, and checkout
 * filters (line endings, LFS) apply as for a checkout.
 */
export function extractCommit(root: string, commit: string, into: string, indexFile: string): void {
  const env = { GIT_INDEX_FILE: indexFile };
  const read = git(['read-tree', commit], root, env);
  if (read.status !== 0) throw new Error(`git read-tree ${commit} failed: ${read.stderr.trim()}`);
  const prefix = into.endsWith('/') ? into : `${into}/`;
  const out = git(['checkout-index', '--all', '--force', `--prefix=${prefix}`], root, env);
  if (out.status !== 0) throw new Error(`git checkout-index into ${into} failed: ${out.stderr.trim()}`);
  if (!existsSync(join(into))) throw new Error(`git checkout-index wrote nothing into ${into}`);
}
