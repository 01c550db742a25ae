/** Runs the CLI from source (through tsx), as a user would run the built one. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { REPO_DIR } from './rules.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function siemc(args: readonly string[], cwd = REPO_DIR, env: Readonly<Record<string, string>> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO_DIR}src/cli/main.ts`, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI as a running child process, for tests that signal or kill it. */
export function siemcChild(args: readonly string[], cwd = REPO_DIR, input?: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_DIR}src/cli/main.ts`, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.end(input ?? '');
  return child;
}

/** Waits for a child to end; its exit code, or the signal that ended it. */
export function ended(child: ChildProcess): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
}

/** Runs the CLI with text on its standard input. */
export function siemcWithInput(args: readonly string[], input: string, cwd = REPO_DIR): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO_DIR}src/cli/main.ts`, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
