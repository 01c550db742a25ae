import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { scaffold } from '../init/scaffold.js';
import { ensureFolder } from '../output/writer.js';

/** A package name npm accepts, from a folder name. */
function packageName(dir: string): string {
  const name = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name === '' ? 'detection-rules' : name;
}

function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function initCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'init [dir]',
    describe: 'Scaffold a rules repository (package.json, tsconfig, an example rule, CI workflows); never overwrites a file',
    builder: (y) => y.positional('dir', { type: 'string', default: '.', describe: 'Folder to set up' }),
    handler: (argv) => {
      const dir = (argv as unknown as { dir: string }).dir;
      ensureFolder(dir);
      const files = scaffold({ name: packageName(dir), siemcVersion: `^${ownVersion()}` });
      let written = 0;
      for (const [path, text] of files) {
        const full = join(dir, path);
        if (existsSync(full)) {
          console.error(`  kept     ${path} (exists)`);
          continue;
        }
        ensureFolder(dirname(full));
        writeFileSync(full, text, { flag: 'wx' });
        console.error(`  created  ${path}`);
        written++;
      }
      console.error(written === 0 ? `siemc: ${dir} is already set up; nothing written.` : `siemc: ${written} file(s) written. Next: npm install && npx siemc build`);
      setExit(0);
    },
  };
}
