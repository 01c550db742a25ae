/**
 * The type check of a one-shot build, in a worker thread (./typecheck.ts `checkInWorker`): it
 * runs on the second core while the main thread runs, tests and compiles the rules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createTypechecker, type TestProof, type TypecheckerOptions } from './typecheck.js';

export interface CheckRequest {
  readonly rulesDir: string;
  readonly options: TypecheckerOptions;
  readonly files: readonly string[];
  /** Set to 1 when the check has ended (ProofFeed.checkingHere reads it without yielding). */
  readonly ended?: SharedArrayBuffer;
}

const request = workerData as CheckRequest;
// Proofs of plain test events the main thread makes meanwhile (./typecheck.ts ProofFeed).
const proofs = new Map<string, TestProof>();
parentPort?.on('message', (m: { proofs?: [string, TestProof][] }) => {
  for (const [file, proof] of m.proofs ?? []) proofs.set(file, proof);
});
const checker = createTypechecker(request.rulesDir, { ...request.options, proofs });
// The thread ends itself once its answer is posted: the main thread reads it (and would end the
// thread) only when it next yields, which in a build is after compiling every rule, and until
// then the ended check's program (~150 MB at 1,000 rules) stayed in memory at the build's peak.
// A message posted before the thread exits is still delivered, before its 'exit' event.
const end = (): never => {
  if (request.ended !== undefined) Atomics.store(new Int32Array(request.ended), 0, 1);
  return process.exit(0);
};
checker.check(request.files).then(
  (diagnostics) => {
    parentPort?.postMessage({ diagnostics, mode: checker.lastMode });
    end();
  },
  (error: unknown) => {
    parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    end();
  },
);
