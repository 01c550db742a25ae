/**
 * Where a rules folder's project keeps siemc's cache: `.siemc/cache/` in the project root, the
 * nearest folder at or above the rules folder with a package.json or tsconfig.json.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Project {
  readonly root: string;
  /** `.siemc/cache` under the root, shared by every rules folder of the project. */
  readonly cacheDir: string;
  /** A folder of the cache for this rules folder alone (type-check state). */
  readonly rulesCacheDir: string;
}

export function projectRootOf(rulesDir: string): string {
  const start = resolve(rulesDir);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'tsconfig.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

export function projectOf(rulesDir: string): Project {
  const root = projectRootOf(rulesDir);
  const cacheDir = join(root, '.siemc', 'cache');
  const rel = relative(root, resolve(rulesDir)) || '.';
  const slug = `${rel.replace(/[^A-Za-z0-9_-]+/g, '_').slice(-40)}-${createHash('sha256').update(rel).digest('hex').slice(0, 8)}`;
  return { root, cacheDir, rulesCacheDir: join(cacheDir, 'rules', slug) };
}
