#!/usr/bin/env node
/** The siemc command line: build, check, eval. Errors are one sentence; no stack traces. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { evalCommand } from './eval.js';
import { smokeCommand } from './smoke.js';
import { docsCommand } from './docs.js';
import { packageCommand } from './package.js';
import { UserError } from './common.js';

async function main(): Promise<number> {
  let code = 0;
  await yargs(hideBin(process.argv))
    .scriptName('siemc')
    .usage('$0 <command> [options]\n\nCompile detection rules written in TypeScript into SIEM searches.')
    .command(buildCommand((c) => (code = c)))
    .command(checkCommand((c) => (code = c)))
    .command(evalCommand((c) => (code = c)))
    .command(smokeCommand((c) => (code = c)))
    .command(packageCommand((c) => (code = c)))
    .command(docsCommand((c) => (code = c)))
    .demandCommand(1, 'Name a command: build, check, eval, smoke, package or docs (see --help).')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((message, error, y) => {
      if (error !== undefined && error !== null) throw error;
      console.error(`siemc: ${message}\n`);
      console.error(y.help === undefined ? '' : 'Run siemc --help for usage.');
      process.exit(2);
    })
    .parseAsync();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof UserError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`siemc: ${message}`);
    process.exit(error instanceof UserError ? 1 : 70);
  },
);
