/**
 * Compiled outputs cached in the project's .siemc/cache under each rule's compile key
 * (./rule-key.ts): an unchanged rule is not compiled again. One entry per rule holds every
 * target built for it, with the approximations found, recorded as warnings (strict mode only
 * raises their severity, so one entry serves both).
 *
 * Only the approximations are kept on disk (./pack.ts): every build needs every rule's
 * approximations, but an output's text is already in the output folder, where the build's
 * record (src/cli/build-memo.ts) keeps it unread while it is as written. A text is asked for
 * only where that file is gone or changed, and is then compiled again (half a millisecond).
 * Keeping the texts too wrote the whole output folder a second time on every cold build (1,000
 * rules: 34 MB). Within one process (siemc build --watch) the texts are kept in memory.
 */
import { join } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { compileRules, type CompileOptions, type CompileResult, type TargetOutput } from '../compile.js';
import { compileEach, type EachOptions } from '../compile-helper.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { CachePack } from './pack.js';
import { ruleKeys } from './rule-key.js';

const FORMAT = 'siemc-compiled/3';

interface Entry {
  readonly targets: { readonly [target: string]: { readonly diagnostics: readonly Diagnostic[] } };
}

/** Output texts by compile key and target, for the life of the process (watch mode rebuilds). */
const texts = new Map<string, Map<string, string>>();
const TEXTS_KEPT = 20_000;

function keepText(key: string, target: string, text: string): void {
  if (texts.size >= TEXTS_KEPT && !texts.has(key)) texts.clear();
  let byTarget = texts.get(key);
  if (byTarget === undefined) texts.set(key, (byTarget = new Map()));
  byTarget.set(target, text);
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
  each: EachOptions = {},
): CompileResult & { readonly stats: CacheStats } {
  const outputs: TargetOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  const config = options.config ?? {};
  let reused = 0;
  const pack = new CachePack<Entry>(join(cacheDir, 'compiled', 'meta'), FORMAT);
  // Rules with nothing cached, compiled together, on two threads when there are many (../compile-helper.ts).
  const uncached = rules.filter((rule) => pack.get(String(rule.id), ruleKeys(rule).compile(config)) === undefined);
  const answers = compileEach(uncached, targets, { ...options, strict: false }, each);
  const compiledNow = new Map(uncached.map((rule, i) => [rule, answers[i] as CompileResult]));
  for (const rule of rules) {
    const id = String(rule.id);
    const key = ruleKeys(rule).compile(config);
    const entry = pack.get(id, key);
    const known = { ...(entry?.targets ?? {}) };
    const missing = targets.filter((t) => known[t.name] === undefined);
    let fresh: Record<string, string> | undefined;
    if (missing.length > 0) {
      const compiled = compiledNow.get(rule) ?? compileRules([rule], missing, { ...options, strict: false });
      fresh = {};
      for (const backend of missing) {
        fresh[backend.name] = compiled.outputs.find((o) => o.backend === backend)?.text ?? '';
        known[backend.name] = { diagnostics: compiled.diagnostics.filter((d) => d.target === backend.name) };
      }
      pack.set(id, key, { targets: known });
      for (const [target, text] of Object.entries(fresh)) keepText(key, target, text);
    } else {
      reused++;
    }
    for (const backend of targets) {
      const hit = known[backend.name];
      if (hit === undefined) continue;
      const now = fresh?.[backend.name];
      let text = now;
      outputs.push({
        rule,
        backend,
        // Read when first asked for; compiled again if the cache lost it.
        get text(): string {
          if (text === undefined) {
            text = texts.get(key)?.get(backend.name) ?? compileRules([rule], [backend], { ...options, strict: false }).outputs[0]?.text ?? '';
            keepText(key, backend.name, text);
          }
          return text;
        },
      });
      // An approximation siemc.config.json accepts stays a warning under --strict.
      for (const d of hit.diagnostics) diagnostics.push(options.strict === true && d.accepted === undefined ? { ...d, severity: 'error' } : d);
    }
  }
  pack.save();
  return { outputs, diagnostics, stats: { reused, compiled: rules.length - reused } };
}
