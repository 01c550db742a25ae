import type { CommandModule } from 'yargs';
import { CODES, codeInfo } from '../codes.js';
import { UserError } from '../user-error.js';

export function explainCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'explain [code]',
    describe: 'Say what a diagnostic code means and what to do (no code: list them all)',
    builder: (y) => y.positional('code', { type: 'string', describe: 'e.g. SIEMC-A101 or A101' }),
    handler: (argv) => {
      const raw = (argv as unknown as { code?: string }).code;
      if (raw === undefined) {
        for (const [code, info] of Object.entries(CODES)) console.log(`${code}  ${info.title}`);
        return setExit(0);
      }
      const code = raw.toUpperCase().startsWith('SIEMC-') ? raw.toUpperCase() : `SIEMC-${raw.toUpperCase()}`;
      const info = codeInfo(code);
      if (info === undefined) throw new UserError(`no diagnostic code ${code}; siemc explain lists them all.`);
      console.log(`${code}: ${info.title}\n\n${info.explain}`);
      setExit(0);
    },
  };
}
