/**
 * Compiled outputs cached in the project's .siemc/cache under each rule's compile key
 * (./rule-key.ts): an unchanged rule is not compiled again. One entry per rule holds every
 * target built for it, with the approximations found, recorded as warnings (strict mode only
 * raises their severity, so one entry serves both).
 *
 * The approximations and the texts are kept apart (two packs, ./pack.ts): every build needs
 * every rule's approximations, but only the texts of the outputs it writes. An output's text is
 * read from the cache when it is first asked for, so a build that keeps most of its outputs
 * (src/cli/build-memo.ts) reads the texts of the few it writes, not tens of megabytes.
 */
import { join } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { compileRules, type CompileOptions, type CompileResult, type TargetOutput } from '../compile.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { CachePack } from './pack.js';
import { ruleKeys } from './rule-key.js';

const FORMAT = 'siemc-compiled/3';

interface Entry {
  readonly targets: { readonly [target: string]: { readonly diagnostics: readonly Diagnostic[] } };
}

interface Texts {
  readonly targets: { readonly [target: string]: string };
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
  const pack = new CachePack<Entry>(join(cacheDir, 'compiled', 'meta'), FORMAT);
  const textPack = new CachePack<Texts>(join(cacheDir, 'compiled', 'text'), FORMAT);
  for (const rule of rules) {
    const id = String(rule.id);
    const key = ruleKeys(rule).compile(config);
    const entry = pack.get(id, key);
    const known = { ...(entry?.targets ?? {}) };
    const missing = targets.filter((t) => known[t.name] === undefined);
    textPack.retain(id);
    let fresh: Record<string, string> | undefined;
    if (missing.length > 0) {
      const compiled = compileRules([rule], missing, { ...options, strict: false });
      fresh = {};
      for (const backend of missing) {
        fresh[backend.name] = compiled.outputs.find((o) => o.backend === backend)?.text ?? '';
        known[backend.name] = { diagnostics: compiled.diagnostics.filter((d) => d.target === backend.name) };
      }
      const texts = entry === undefined ? undefined : textPack.get(id, key)?.targets;
      pack.set(id, key, { targets: known });
      textPack.set(id, key, { targets: { ...(texts ?? {}), ...fresh } });
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
          text ??= textPack.get(id, key)?.targets[backend.name] ?? compileRules([rule], [backend], { ...options, strict: false }).outputs[0]?.text ?? '';
          return text;
        },
      });
      // An approximation siemc.config.json accepts stays a warning under --strict.
      for (const d of hit.diagnostics) diagnostics.push(options.strict === true && d.accepted === undefined ? { ...d, severity: 'error' } : d);
    }
  }
  pack.save();
  textPack.save();
  return { outputs, diagnostics, stats: { reused, compiled: rules.length - reused } };
}
