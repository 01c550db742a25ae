import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { backends } from '../backends/registry.js';
import { renderTargetsDoc } from '../docs/targets-doc.js';

export function docsCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'docs',
    describe: 'Write docs/targets.md from the backends\' capability tables (--check: exit 1 when stale)',
    builder: (y) =>
      y
        .option('out', { type: 'string', default: 'docs/targets.md', describe: 'File to write' })
        .option('check', { type: 'boolean', default: false, describe: 'Only compare' }),
    handler: (argv) => {
      const args = argv as unknown as { out: string; check: boolean };
      const text = renderTargetsDoc(backends);
      if (args.check) {
        const same = existsSync(args.out) && readFileSync(args.out, 'utf8') === text;
        if (!same) console.log(`${args.out} is stale; run siemc docs (npm run rules).`);
        return setExit(same ? 0 : 1);
      }
      writeFileSync(args.out, text);
      setExit(0);
    },
  };
}
