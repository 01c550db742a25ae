/**
 * A worker thread running a module that sits beside the caller: `dist/…/x.js` when siemc runs
 * built, `src/…/x.ts` when it runs from its sources. From the sources, a worker inherits the
 * TypeScript loader the process was started with (`node --import tsx`); where there is none
 * (vitest), it registers tsx itself before importing the module.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function siblingWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  const ext = callerUrl.endsWith('.ts') ? 'ts' : 'js';
  const entry = new URL(`./${name}.${ext}`, callerUrl);
  if (ext === 'js' || process.execArgv.some((a) => a.includes('tsx'))) return new Worker(entry, options);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
