/** Runs the CLI from source (through tsx), as a user would run the built one. */
import { spawnSync } from 'node:child_process';
import { REPO_DIR } from './rules.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function siemc(args: readonly string[], cwd = REPO_DIR): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO_DIR}src/cli/main.ts`, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
