/**
 * siemc's own version, part of every cache key: a different siemc never reuses another's
 * results. The version number alone is not enough while siemc itself is being changed (this
 * repository, a linked checkout), so the content of its own code is hashed in as well.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { filesUnder } from '../util/files.js';

let version: string | undefined;


export function siemcVersion(): string {
  if (version !== undefined) return version;
  // From src/cache/ and dist/cache/ alike, the package root is two folders up, the code one up.
  const pkg = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const h = createHash('sha256');
  const codeDir = decodeURIComponent(new URL('..', import.meta.url).pathname);
  for (const f of filesUnder(codeDir, (_, name) => /\.(js|ts)$/.test(name) && !name.endsWith('.d.ts'))) h.update(f).update(readFileSync(f));
  version = `${pkg}+${h.digest('hex').slice(0, 16)}`;
  return version;
}
