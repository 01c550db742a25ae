#!/usr/bin/env node
/**
 * The siemc command line. A user's mistake is one sentence and exit 1 (2 for usage); exit 70
 * means a bug in siemc. No stack traces for either.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError, UserError } from '../user-error.js';
import { Interrupted } from '../output/writer.js';
import { strictBooleans } from './args.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { diffCommand } from './diff.js';
import { docsCommand } from './docs.js';
import { evalCommand } from './eval.js';
import { explainCommand } from './explain.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { publishCommand } from './publish.js';
import { smokeCommand } from './smoke.js';
import { testCommand } from './test.js';

/** src/cli and dist/cli both sit two folders below package.json. */
function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

async function main(): Promise<number> {
  let code = 0;
  // `--events -` names standard input; yargs would read a lone `-` as a positional argument.
  const raw = hideBin(process.argv).reduce<string[]>((args, token) => {
    const last = args[args.length - 1];
    if (token === '-' && last !== undefined && /^--[^=]+$/.test(last)) args[args.length - 1] = `${last}=-`;
    else args.push(token);
    return args;
  }, []);
  await yargs(raw)
    .scriptName('siemc')
    .usage('$0 <command> [options]\n\nCompile detection rules written in TypeScript into SIEM searches.')
    .command(initCommand((c) => (code = c)))
    .command(buildCommand((c) => (code = c)))
    .command(checkCommand((c) => (code = c)))
    .command(diffCommand((c) => (code = c)))
    .command(testCommand((c) => (code = c)))
    .command(evalCommand((c) => (code = c)))
    .command(importCommand((c) => (code = c)))
    .command(smokeCommand((c) => (code = c)))
    .command(publishCommand((c) => (code = c)))
    .command(docsCommand((c) => (code = c)))
    .command(explainCommand((c) => (code = c)))
    .middleware((argv) => strictBooleans(raw, argv))
    .demandCommand(1, 'Name a command: init, build, check, diff, test, eval, import, smoke, publish, docs or explain (see --help).')
    .strict()
    .help()
    .alias('h', 'help')
    .version(ownVersion())
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
    if (error instanceof UserError) {
      console.error(`siemc: ${error.message}`);
      const signal = error instanceof Interrupted ? error.signal : undefined;
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : error instanceof UsageError ? 2 : 1);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`siemc: internal error (a bug in siemc; please report it): ${message}`);
    process.exit(70);
  },
);
