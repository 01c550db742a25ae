/** siemc's own version, part of every cache key: a new siemc never reuses an old one's results. */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function siemcVersion(): string {
  // From src/cache/ and dist/cache/ alike, the package root is two folders up.
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
