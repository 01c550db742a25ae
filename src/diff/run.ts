/**
 * `siemc diff` without the printing: find the repository and the base commit, load the working
 * tree's rules and the base's, and compare them.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { Backend } from '../backends/backend.js';
import type { ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { loadRules } from '../loader/load.js';
import type { CompareOptions } from '../semantic/compare.js';
import { UserError } from '../user-error.js';
import { loadRulesAtCommit } from './base-rules.js';
import { repositoryRoot, resolveBase, shortCommit } from './git.js';
import type { DiffReport } from './report.js';
import { diffRuleSets } from './rule-diff.js';

export interface DiffOptions {
  readonly rulesDir: string;
  /** `--base REF`; default: the merge base of HEAD with the default branch. */
  readonly base?: string;
  readonly backends: readonly Backend[];
  readonly config: ProjectConfig;
  /** Type-check the working tree's rules (default true; the base is never type-checked). */
  readonly typecheck?: boolean;
  /** Use the project's .siemc/cache for the working tree's rules (default true). */
  readonly cache?: boolean;
  readonly compare?: CompareOptions;
}

export type DiffOutcome =
  | { readonly kind: 'report'; readonly report: DiffReport; readonly warnings: readonly Diagnostic[] }
  /** The working tree's rules do not load: nothing was compared. */
  | { readonly kind: 'errors'; readonly diagnostics: readonly Diagnostic[] };

const posix = (p: string): string => p.split(sep).join('/');

function inside(file: string, dir: string): string | undefined {
  const r = relative(dir, file);
  return r === '' || r.startsWith('..') || isAbsolute(r) ? undefined : posix(r);
}

export async function diffWorkingTree(options: DiffOptions): Promise<DiffOutcome> {
  const root = repositoryRoot(options.rulesDir);
  const rulesRel = posix(relative(root, realpathSync(options.rulesDir)));
  const base = resolveBase(root, options.base);

  const now = await loadRules(options.rulesDir, { typecheck: options.typecheck !== false, cache: options.cache !== false });
  if (now.diagnostics.some((d) => d.severity === 'error')) return { kind: 'errors', diagnostics: now.diagnostics };

  const then = await loadRulesAtCommit(root, base.commit, rulesRel);
  const showPath = (located: string): string => {
    // tsx may mark a module it loaded with a query (`rule.ts?tsx-namespace=...`).
    const file = located.replace(/\?.*$/, '');
    const fromTree = inside(file, then.tree);
    if (fromTree !== undefined) return fromTree;
    const fromRoot = inside(file, root);
    if (fromRoot !== undefined) return fromRoot;
    try {
      return inside(realpathSync(file), root) ?? file;
    } catch {
      return file;
    }
  };
  const baseErrors = then.diagnostics.filter((d) => d.severity === 'error');
  if (baseErrors.length > 0) {
    const first = baseErrors[0] as Diagnostic;
    const where = first.location === undefined ? '' : ` (${showPath(first.location.file)}:${first.location.line})`;
    const message = first.message.split(`${then.tree}${sep}`).join('');
    throw new UserError(
      `the rules at ${options.base ?? base.name} (${shortCommit(base.commit)}) do not load with this siemc, so they cannot be compared: ${first.code} ${message}${where}${baseErrors.length > 1 ? ` (and ${baseErrors.length - 1} more errors)` : ''}; pass --base with a commit whose rules load.`,
    );
  }

  const rules = diffRuleSets({
    before: then.rules,
    after: now.rules,
    backends: options.backends,
    config: options.config,
    showPath,
    ...(options.compare === undefined ? {} : { compare: options.compare }),
  });
  return {
    kind: 'report',
    report: { base: { ref: base.name, commit: base.commit }, rulesDir: rulesRel === '' ? '.' : rulesRel, rules },
    warnings: now.diagnostics,
  };
}

