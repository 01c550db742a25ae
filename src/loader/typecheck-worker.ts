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
}

const request = workerData as CheckRequest;
// Proofs of plain test events the main thread makes meanwhile (./typecheck.ts ProofFeed).
const proofs = new Map<string, TestProof>();
parentPort?.on('message', (m: { proofs?: [string, TestProof][] }) => {
  for (const [file, proof] of m.proofs ?? []) proofs.set(file, proof);
});
const checker = createTypechecker(request.rulesDir, { ...request.options, proofs });
checker.check(request.files).then(
  (diagnostics) => parentPort?.postMessage({ diagnostics, mode: checker.lastMode }),
  (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
