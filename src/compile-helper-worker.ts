/**
 * The helper thread of ./compile-helper.ts: takes rules from the shared counter, compiles each
 * as the main thread would, and posts what it made.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { backendNamed } from './backends/registry.js';
import type { Backend } from './backends/backend.js';
import { compileRules } from './compile.js';
import { ANSWERED, NEXT, type HelperAnswer, type HelperJob } from './compile-helper.js';
import { restoreQuery } from './ir/portable.js';
import type { Rule } from './model/rule.js';

const { job, port } = workerData as { job: HelperJob; port: MessagePort };
const shared = new Int32Array(job.counters);
const targets = job.targets.map((name) => backendNamed(name)).filter((b): b is Backend => b !== undefined);
// A target this thread does not know: the main thread compiles every rule.
const allKnown = targets.length === job.targets.length;
const answer = (a: HelperAnswer): void => {
  port.postMessage(a);
  Atomics.add(shared, ANSWERED, 1);
  Atomics.notify(shared, ANSWERED);
};
for (let i = Atomics.add(shared, NEXT, 1); i < job.offset + job.rules.length; i = Atomics.add(shared, NEXT, 1)) {
  const item = job.rules[i - job.offset];
  if (item === null || item === undefined || !allKnown) {
    answer({ i });
    continue;
  }
  try {
    const data = JSON.parse(item.json) as Rule;
    const rule: Rule = { ...data, query: restoreQuery(data.query, item.shape) };
    const r = compileRules([rule], targets, job.options);
    answer({ i, texts: r.outputs.map((o) => [o.backend.name, o.text] as const), diagnostics: r.diagnostics });
  } catch {
    answer({ i });
  }
}
port.close();
