/** Walking a folder tree in a stable order (the order builds, imports and caches depend on). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file below `dir` that `accept` takes (by path and name), depth first with each folder's
 * entries in sorted name order; a folder `enter` refuses (by name) is not walked.
 */
export function filesUnder(dir: string, accept: (path: string, name: string) => boolean, enter: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (enter(name)) walk(p);
      } else if (accept(p, name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
