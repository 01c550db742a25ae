/**
 * siemc's own version, part of every cache key: a different siemc never reuses another's
 * results. The version number alone is not enough while siemc itself is being changed (this
 * repository, a linked checkout), so the content of its own code is hashed in as well.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

let version: string | undefined;

function codeFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) codeFiles(p, out);
    else if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function siemcVersion(): string {
  if (version !== undefined) return version;
  // From src/cache/ and dist/cache/ alike, the package root is two folders up, the code one up.
  const pkg = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const h = createHash('sha256');
  for (const f of codeFiles(decodeURIComponent(new URL('..', import.meta.url).pathname), [])) h.update(f).update(readFileSync(f));
  version = `${pkg}+${h.digest('hex').slice(0, 16)}`;
  return version;
}
