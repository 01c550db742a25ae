/**
 * compileRules one rule at a time, with a helper thread taking rules too when there are many.
 *
 * Why: in a cold build of 1,000 rules the type check ends about 2.5 s before the main thread
 * has compiled every rule to five targets, and one of the two cores then idles. The helper
 * starts once a core is free (the build's type-check worker has ended: before that, a third
 * thread only shares the two cores, and its memory adds to the worker's at the build's peak),
 * while enough rules are left. Both threads take the next rule from one shared counter, so
 * neither waits for the other while there is work.
 *
 * A rule crosses to the helper as JSON with its query's shape (src/ir/portable.ts: origins,
 * shared nodes), without its test events, which no backend reads. The helper answers
 * with the output texts and diagnostics, which are plain data; the caller gets, for each rule
 * in order, exactly what compileRules([rule], targets, options) gives. A rule that is not plain
 * data, and every rule the helper could not answer for, is compiled here.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { Backend } from './backends/backend.js';
import { compileRules, type CompileOptions, type CompileResult } from './compile.js';
import type { Diagnostic } from './diagnostics.js';
import { shapeOf, type QueryShape } from './ir/portable.js';
import { isPlainData } from './util/plain-data.js';
import { siblingWorker } from './util/sibling-worker.js';
import type { Rule } from './model/rule.js';

/** Below this many rules left to compile the helper's start (~0.2 s) costs more than it gives. */
export const HELPER_FROM = 200;

/**
 * How long to wait for an answer the helper owes before compiling what it owes here. This thread
 * cannot see that the helper died (out of memory, a crash): a worker's `threadId` and its 'exit'
 * event change only when this thread yields, which it does not. Once this thread has taken the
 * last rule, the helper owes the one it is compiling (it took none if it never started), so
 * giving up early costs at most that rule compiled twice, and the result is the same.
 */
const PATIENCE_MS = 1_000;

/**
 * A rule for the helper: the rule without its tests as JSON, parsed only by the thread that
 * takes it (as objects, all 1,000 rules cost the helper ~100 MB), and its query's shape; null
 * when it is not plain data.
 */
export type PortableRule = { readonly json: string; readonly shape: QueryShape } | null;

/** What the helper posts per rule it took. */
export type HelperAnswer = { readonly i: number; readonly texts?: readonly (readonly [string, string])[]; readonly diagnostics?: readonly Diagnostic[] };

/** Slots of the shared counters. */
export const NEXT = 0;
export const ANSWERED = 1;

export interface HelperJob {
  /** The rules from `offset` on (the counter counts from 0). */
  readonly rules: readonly PortableRule[];
  readonly offset: number;
  readonly targets: readonly string[];
  readonly options: CompileOptions;
  readonly counters: SharedArrayBuffer;
}

function portable(rule: Rule): PortableRule {
  const withoutTests: Rule = { ...rule, tests: [] };
  return isPlainData(withoutTests) ? { json: JSON.stringify(withoutTests), shape: shapeOf(rule.query) } : null;
}

/** The helper's heap limit (MB): it holds the rules as text and one rule's work at a time. */
const HELPER_HEAP_MB = 96;

function startHelper(job: HelperJob, port: MessagePort): Worker | undefined {
  try {
    const worker = siblingWorker(import.meta.url, 'compile-helper-worker', {
      workerData: { job, port },
      transferList: [port],
      resourceLimits: { maxOldGenerationSizeMb: HELPER_HEAP_MB },
    });
    // A helper that fails leaves its rules to this thread (compileEach); the error must not end the process.
    worker.on('error', () => undefined);
    return worker;
  } catch {
    return undefined;
  }
}

export interface EachOptions {
  /** The fewest rules left for which a helper starts (default HELPER_FROM). */
  readonly helperFrom?: number;
  /** The helper starts once this is true (checked before each rule; default: at once). */
  readonly coreFree?: () => boolean;
  /** Counts the rules the helper compiled (for tests and the bench). */
  readonly stats?: { helped: number };
  /** This thread takes no rule before the helper has answered for all it could (tests). */
  readonly helperFirst?: boolean;
  /** How long to wait for an owed answer (default PATIENCE_MS; tests that let the helper start first wait longer). */
  readonly patienceMs?: number;
}

/** For each rule in order, compileRules([rule], targets, options). */
export function compileEach(rules: readonly Rule[], targets: readonly Backend[], options: CompileOptions, each: EachOptions = {}): CompileResult[] {
  // Not a sparse array: map() below skips holes, and a rule the helper never answered for would stay one.
  const results: (CompileResult | undefined)[] = Array.from({ length: rules.length }, () => undefined);
  const here = (i: number): CompileResult => compileRules([rules[i] as Rule], targets, options);
  const helperFrom = each.helperFrom ?? HELPER_FROM;
  if (rules.length < helperFrom) return rules.map((_, i) => here(i));
  const counters = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(counters);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | undefined;
  let started = false;
  // The helper takes rules from `from` on: the counter is past every rule this thread took.
  const start = (from: number): void => {
    started = true;
    worker = startHelper({ rules: rules.slice(from).map(portable), offset: from, targets: targets.map((t) => t.name), options, counters }, port2);
  };
  const coreFree = each.coreFree ?? (() => true);
  try {
    if (each.helperFirst === true) start(0);
    else
      for (let i = Atomics.add(shared, NEXT, 1); i < rules.length; i = Atomics.add(shared, NEXT, 1)) {
        if (!started && rules.length - i >= helperFrom && coreFree()) start(i + 1);
        results[i] = here(i);
      }
    // The helper's rules: its answers, as they come, waiting on its counter between them; after
    // PATIENCE_MS without one, what it still owes is compiled below.
    let owed = worker === undefined ? 0 : results.reduce((n, r) => n - (r === undefined ? 0 : 1), rules.length);
    let waitedMs = 0;
    const patience = each.patienceMs ?? PATIENCE_MS;
    while (owed > 0 && waitedMs < patience) {
      const answered = Atomics.load(shared, ANSWERED);
      const message = receiveMessageOnPort(port1) as { message: HelperAnswer } | undefined;
      if (message === undefined) {
        if (Atomics.wait(shared, ANSWERED, answered, 100) === 'timed-out') waitedMs += 100;
        continue;
      }
      waitedMs = 0;
      const { i, texts, diagnostics } = message.message;
      owed--;
      if (texts === undefined || diagnostics === undefined) continue; // not plain data: compiled below
      const rule = rules[i] as Rule;
      const byName = new Map(texts);
      results[i] = {
        outputs: targets.flatMap((backend) => {
          const text = byName.get(backend.name);
          return text === undefined ? [] : [{ rule, backend, text }];
        }),
        diagnostics,
      };
      if (each.stats !== undefined) each.stats.helped++;
    }
  } finally {
    port1.close();
    if (worker === undefined) port2.close();
    void worker?.terminate();
  }
  return results.map((r, i) => r ?? here(i));
}
