/**
 * A build's side of the type-check server (./check-server.ts): ask it, or start it for the next
 * build. Whenever the server cannot answer (none yet, gone, failed), the caller checks on its
 * own, so a server can make a build faster but never changes what the build says.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics.js';
import { siemcVersion } from '../cache/version.js';
import { IDLE_MS, lines, serverAddress, type ServerReply, type ServerRequest } from './check-protocol.js';
import { typescriptVersion } from './typecheck.js';

const OFF = new Set(['off', '0', 'false', 'no']);

/** SIEMC_CHECK_SERVER=off|on; unset: on, except under CI (CI set to anything but false or 0). */
export function checkServerWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.SIEMC_CHECK_SERVER?.toLowerCase();
  if (setting !== undefined && setting !== '') return !OFF.has(setting);
  const ci = env.CI?.toLowerCase();
  return ci === undefined || ci === '' || OFF.has(ci);
}

function addressFor(rulesDir: string, stateDir: string): string | undefined {
  return serverAddress(rulesDir, stateDir, [siemcVersion(), typescriptVersion()]);
}

function open(address: string): Promise<Socket | NodeJS.ErrnoException> {
  return new Promise((resolvePromise) => {
    const socket = connect(address);
    socket.once('connect', () => resolvePromise(socket));
    // Every error, also after connecting (ask() answers for those): an unheard one would end the build.
    socket.on('error', (e: NodeJS.ErrnoException) => resolvePromise(e));
  });
}

/**
 * How long a build waits for the server's answer before it checks on its own: a whole check
 * of 3,000 rules takes ~30 s, so only a server that hangs takes this long.
 */
const ANSWER_MS = 5 * 60 * 1000;

/** Sends one request and waits for its answer; undefined when the server goes away or hangs first. */
function ask(socket: Socket, request: ServerRequest): Promise<ServerReply | undefined> {
  return new Promise((resolvePromise) => {
    const done = (reply: ServerReply | undefined): void => {
      clearTimeout(timer);
      resolvePromise(reply);
      socket.destroy();
    };
    const timer = setTimeout(() => done(undefined), ANSWER_MS);
    lines(socket, (line) => {
      try {
        done(JSON.parse(line) as ServerReply);
      } catch {
        done(undefined);
      }
    });
    socket.on('error', () => done(undefined));
    socket.once('close', () => done(undefined));
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/**
 * Node's options that load code (a TypeScript loader when siemc runs from its sources), and no
 * others: a server started by a profiled or inspected build must not profile or listen too.
 */
function loaderOptions(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i] as string;
    if (/^--(import|loader|experimental-loader|require)=/.test(a)) out.push(a);
    else if (/^(--import|--loader|--experimental-loader|--require|-r)$/.test(a) && i + 1 < execArgv.length) out.push(a, execArgv[++i] as string);
  }
  return out;
}

function start(address: string, rulesDir: string, stateDir: string): void {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const script = fileURLToPath(new URL(`./check-server.${ext}`, import.meta.url));
  const args = JSON.stringify({ address, rulesDir: resolve(rulesDir), stateDir: resolve(stateDir), parentPid: process.pid, idleMs: IDLE_MS });
  try {
    // Started outside the project (every path it gets is absolute), as daemons do, so that it
    // never keeps a folder in use (Windows will not delete a process's working folder); but
    // from here when a loader is named (siemc run from its sources): Node resolves it from there.
    const loaders = loaderOptions(process.execArgv);
    const cwd = loaders.length > 0 ? process.cwd() : tmpdir();
    const child = spawn(process.execPath, [...loaders, script, args], { cwd, detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No server: the next build checks on its own again.
  }
}

/**
 * The type check of `files` by this rules folder's server, or undefined at once when there is
 * no server (one is then started for the next build, unless servers are off): the caller can
 * start its own check without waiting a turn. The promise gives undefined when the server did
 * not answer.
 */
export function checkWithServer(files: readonly string[], rulesDir: string, stateDir: string): Promise<Diagnostic[] | undefined> | undefined {
  if (!checkServerWanted()) return undefined;
  const address = addressFor(rulesDir, stateDir);
  if (address === undefined) return undefined;
  if (!existsSync(address)) {
    start(address, rulesDir, stateDir);
    return undefined;
  }
  return (async () => {
    const socket = await open(address);
    if (!(socket instanceof Error)) {
      const reply = await ask(socket, { check: files });
      return reply !== undefined && 'diagnostics' in reply ? reply.diagnostics : undefined;
    }
    // A socket file left by a server that died: nothing listens, so it can go.
    if (socket.code === 'ECONNREFUSED' && process.platform !== 'win32') rmSync(address, { force: true });
    if (socket.code === 'ENOENT' || socket.code === 'ECONNREFUSED') start(address, rulesDir, stateDir);
    return undefined;
  })();
}

async function askServer(rulesDir: string, stateDir: string, request: ServerRequest): Promise<ServerReply | undefined> {
  const address = addressFor(rulesDir, stateDir);
  if (address === undefined) return undefined;
  const socket = await open(address);
  return socket instanceof Error ? undefined : ask(socket, request);
}

/** Asks this rules folder's server to exit; true when one did. */
export async function stopCheckServer(rulesDir: string, stateDir: string): Promise<boolean> {
  const reply = await askServer(rulesDir, stateDir, { stop: true });
  return reply !== undefined && 'stopped' in reply;
}

export interface CheckServerStatus {
  readonly pid: number;
  readonly served: number;
  readonly warm: boolean;
  readonly peakRss: number;
}

/** This rules folder's server as it says (for the bench and tests); undefined when none answers. */
export async function checkServerStatus(rulesDir: string, stateDir: string): Promise<CheckServerStatus | undefined> {
  const reply = await askServer(rulesDir, stateDir, { status: true });
  return reply !== undefined && 'served' in reply ? reply : undefined;
}
