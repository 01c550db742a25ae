/** Files of the SigmaHQ corpus, in a stable order. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function yamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(root);
  return out;
}
