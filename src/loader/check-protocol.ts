/**
 * What a build and the type-check server (./check-server.ts) say to each other, and where the
 * server listens.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../diagnostics.js';

/** Ten minutes without a request: long enough for an author between edits, short enough not to linger. */
export const IDLE_MS = 10 * 60 * 1000;

export type ServerRequest = { readonly check: readonly string[] } | { readonly stop: true } | { readonly status: true };
export type ServerReply =
  | { readonly diagnostics: Diagnostic[] }
  | { readonly error: string }
  | { readonly stopped: true }
  /** Its process, how many checks it has answered, whether it has warmed up, its peak resident memory (bytes). */
  | { readonly pid: number; readonly served: number; readonly warm: boolean; readonly peakRss: number };

/** Calls `onLine` with each newline-terminated line the stream brings. */
export function lines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line);
    }
  });
}

/**
 * The server's address for one rules folder under one siemc, TypeScript and Node: a unix socket
 * in a folder only this user can enter (anyone who can connect is served), or a named pipe on
 * Windows. Undefined when that folder is not this user's alone.
 */
export function serverAddress(rulesDir: string, stateDir: string, versions: readonly string[]): string | undefined {
  const id = createHash('sha256').update(JSON.stringify([resolve(rulesDir), resolve(stateDir), process.version, ...versions])).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\siemc-check-${id}`;
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `siemc-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return join(dir, `check-${id}.sock`);
}
