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
import type { CommandModule } from 'yargs';
import { strictBooleans } from './args.js';

type Command = (setExit: (code: number) => void) => CommandModule;

/**
 * Each command's module, loaded when needed: a build should not pay for importing the
 * publishers, the importers and the semantic diff (about 0.2 s of a 0.4 s start).
 * In the order --help lists them.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import('./init.js')).initCommand,
  build: async () => (await import('./build.js')).buildCommand,
  check: async () => (await import('./check.js')).checkCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  test: async () => (await import('./test.js')).testCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  import: async () => (await import('./import.js')).importCommand,
  smoke: async () => (await import('./smoke.js')).smokeCommand,
  publish: async () => (await import('./publish.js')).publishCommand,
  docs: async () => (await import('./docs.js')).docsCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
};
const ALIASES: Readonly<Record<string, string>> = { package: 'publish' };

/**
 * The commands to register: only the one named first on the command line, or all of them (for
 * --help, --version, a mistyped command, or options before the command), so yargs answers
 * exactly as it would with every command registered.
 */
async function commandsFor(raw: readonly string[]): Promise<Command[]> {
  const first = raw[0];
  const name = first === undefined ? undefined : (ALIASES[first] ?? first);
  const one = name === undefined || !Object.hasOwn(COMMANDS, name) ? undefined : COMMANDS[name];
  const wanted = one === undefined || raw.includes('--help') || raw.includes('-h') || raw.includes('--version') ? Object.values(COMMANDS) : [one];
  return Promise.all(wanted.map((load) => load()));
}

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
  const commands = await commandsFor(raw);
  await yargs(raw)
    .scriptName('siemc')
    .usage('$0 <command> [options]\n\nCompile detection rules written in TypeScript into SIEM searches.')
    .command(commands.map((command) => command((c) => (code = c))))
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
