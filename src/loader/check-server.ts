/**
 * The type-check server: a process that keeps one rules folder's checker alive between one-shot
 * builds, as tsc --watch, Gradle's daemon or eslint_d keep theirs.
 *
 * Why: a build that changed one rule spends most of its type check before checking anything.
 * It loads TypeScript and parses and binds its libraries, @types/node and siemc's declarations
 * (about 1 s of the 2 s such a build took at 1,000 rules), and every new process pays that
 * again. The server pays it once and then checks only what changed.
 *
 * What it does:
 *   - A build asks it first (./check-client.ts). When there is no server, the build checks in
 *     its own worker thread as before and starts one for the next build. The server waits for
 *     that build to exit before it warms up, so the two never compete for a core.
 *   - It answers with exactly what the build's own checker would: it is the same checker
 *     (./typecheck.ts), reading the files from disk and keeping its state in the same cache.
 *   - It exits after IDLE_MS (./check-protocol.ts) without a request, and when asked to (stopCheckServer).
 *   - Its address names siemc's version, TypeScript's version and the rules folder, so another
 *     siemc or TypeScript starts a server of its own.
 *   - Builds with CI set, or with SIEMC_CHECK_SERVER=off, neither use nor start one.
 *
 * Protocol (./check-protocol.ts): one JSON object per line each way. Requests are
 * `{"check": [files]}`, `{"status": true}` or `{"stop": true}`; a check is answered with
 * `{"diagnostics": [...]}` or `{"error": "..."}`. Checks are served one at a time, in order.
 */
import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { createTypechecker } from './typecheck.js';
import { lines, type ServerRequest, type ServerReply } from './check-protocol.js';

interface ServerArgs {
  readonly address: string;
  readonly rulesDir: string;
  readonly stateDir: string;
  /** The build that started the server: warming up waits until it has exited. */
  readonly parentPid: number;
  readonly idleMs: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function serve(args: ServerArgs): Promise<void> {
  const checker = createTypechecker(args.rulesDir, { stateDir: args.stateDir });
  let served = 0;
  let warm = false;
  let queue: Promise<void> = Promise.resolve();
  // One at a time, in order; a failure ends only its own turn.
  const enqueue = (work: () => Promise<void> | void): void => {
    queue = queue.then(work).catch(() => undefined);
  };
  let idle: NodeJS.Timeout | undefined;
  const server = createServer();
  const stop = (): void => {
    if (idle !== undefined) clearTimeout(idle);
    server.close();
    // A unix socket file outlives its server; named pipes do not exist as files.
    if (process.platform !== 'win32') rmSync(args.address, { force: true });
    process.exit(0);
  };
  const rearm = (): void => {
    if (idle !== undefined) clearTimeout(idle);
    idle = setTimeout(stop, args.idleMs);
    idle.unref();
  };
  const answer = (socket: Socket, reply: ServerReply): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
  };
  server.on('connection', (socket) => {
    lines(socket, (line) => {
      let request: ServerRequest;
      try {
        request = JSON.parse(line) as ServerRequest;
      } catch {
        answer(socket, { error: 'not a JSON request' });
        return;
      }
      if ('status' in request) {
        answer(socket, { pid: process.pid, served, warm, peakRss: process.resourceUsage().maxRSS * 1024 });
        return;
      }
      if ('stop' in request) {
        answer(socket, { stopped: true });
        socket.end(stop);
        return;
      }
      enqueue(async () => {
        if (idle !== undefined) clearTimeout(idle);
        try {
          answer(socket, { diagnostics: await checker.check(request.check) });
          served++;
        } catch (e) {
          answer(socket, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        } finally {
          rearm();
        }
      });
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(args.address, () => resolvePromise());
  });
  rearm();
  // Warm up once the starting build is gone: TypeScript, its libraries and the declarations.
  while (alive(args.parentPid)) await new Promise((r) => setTimeout(r, 200));
  enqueue(() => {
    checker.warm();
    warm = true;
  });
}

const args = JSON.parse(process.argv[2] ?? '{}') as ServerArgs;
serve(args).catch(() => {
  // Another server took the address first, or it cannot be listened on: the builds check alone.
  process.exit(0);
});
