/**
 * Compiled outputs cached in the project's .siemc/cache under each rule's compile key
 * (./rule-key.ts): an unchanged rule is not compiled again. One file per key holds every
 * target built for it, with the approximations found, recorded as warnings (strict mode only
 * raises their severity, so one entry serves both).
 */
import { join } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { compileRules, type CompileOptions, type CompileResult, type TargetOutput } from '../compile.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { readCacheJson, writeCacheJson } from './store.js';
import { ruleKeys } from './rule-key.js';

const FORMAT = 'siemc-compiled/1';

interface Entry {
  readonly format: string;
  readonly targets: { readonly [target: string]: { readonly text: string; readonly diagnostics: readonly Diagnostic[] } };
}

export interface CacheStats {
  /** Rules whose every requested target came from the cache. */
  readonly reused: number;
  readonly compiled: number;
}

/** compileRules, with results kept in `cacheDir` (the project's .siemc/cache). */
export function compileRulesCached(
  rules: readonly Rule[],
  targets: readonly Backend[],
  options: CompileOptions,
  cacheDir: string,
): CompileResult & { readonly stats: CacheStats } {
  const outputs: TargetOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  const config = options.config ?? {};
  let reused = 0;
  for (const rule of rules) {
    const key = ruleKeys(rule).compile(config);
    const path = join(cacheDir, 'compiled', key.slice(0, 2), `${key}.json`);
    const entry = readCacheJson<Entry>(path, FORMAT);
    const known = { ...(entry?.targets ?? {}) };
    const missing = targets.filter((t) => known[t.name] === undefined);
    if (missing.length > 0) {
      const fresh = compileRules([rule], missing, { ...options, strict: false });
      for (const backend of missing) {
        const text = fresh.outputs.find((o) => o.backend === backend)?.text ?? '';
        known[backend.name] = { text, diagnostics: fresh.diagnostics.filter((d) => d.target === backend.name) };
      }
      writeCacheJson(path, { format: FORMAT, targets: known } satisfies Entry);
    } else {
      reused++;
    }
    for (const backend of targets) {
      const hit = known[backend.name];
      if (hit === undefined) continue;
      outputs.push({ rule, backend, text: hit.text });
      // An approximation siemc.config.json accepts stays a warning under --strict.
      for (const d of hit.diagnostics) diagnostics.push(options.strict === true && d.accepted === undefined ? { ...d, severity: 'error' } : d);
    }
  }
  return { outputs, diagnostics, stats: { reused, compiled: rules.length - reused } };
}
