/**
 * Requires a large CommonJS module with V8's code cache kept in a file, as Node 22's
 * module.enableCompileCache does (Node 20 has no such thing).
 *
 * Why: every type check starts a fresh isolate that compiles typescript.js (9 MB) before it can
 * parse a file, then compiles each of its functions as it first runs. Measured on the type check
 * of one changed rule: compiling the script took 0.17-0.3 s and the check ran 10-25% slower than
 * with compiled code from the cache.
 *
 * The cache sits in the user's cache folder, not a project's: like Node's own compile cache, it
 * depends on the module and Node, not on the rules, so a new clone starts with it.
 *
 * The cache is written once, after the caller has used the module (createCachedData then holds
 * every function compiled so far, not just the top level), and again whenever V8 rejects it
 * (another Node, V8 flags or script). Its name carries the module's path, size and modification
 * time, because V8 checks a script only by its length.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { readCacheBytes, writeCacheBytes } from './store.js';

/** `$XDG_CACHE_HOME/siemc/code`, else `~/.cache/siemc/code`. */
export function userCodeCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME;
  return join(base !== undefined && base !== '' ? base : join(homedir(), '.cache'), 'siemc', 'code');
}

export interface CachedModule<T> {
  readonly exports: T;
  /** Whether V8 ran it from the cache. */
  readonly fromCache: boolean;
  /** Writes the code cache if it was missing or rejected; call once the module has done its work. */
  save(): void;
}

/**
 * The module `specifier` resolved from `parentUrl`, run from compiled code in `cacheDir` when
 * there is any; without a cacheDir, a plain require.
 */
export function requireCached<T>(specifier: string, parentUrl: string, cacheDir: string | undefined): CachedModule<T> {
  const require = createRequire(parentUrl);
  if (cacheDir === undefined) return { exports: require(specifier) as T, fromCache: false, save: () => undefined };
  const filename = require.resolve(specifier);
  const st = statSync(filename);
  const id = createHash('sha256').update(JSON.stringify([filename, st.size, st.mtimeMs, process.version, process.arch])).digest('hex').slice(0, 16);
  const cacheFile = join(cacheDir, `v8-${id}.bin`);
  const cachedData = readCacheBytes(cacheFile);
  // CommonJS's own wrapper (Module.wrap), on the first line so that columns in stack traces stay.
  const code = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(filename, 'utf8')}\n});`;
  const script = new Script(code, { filename, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = { exports: {} as unknown, filename, id: filename };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  let saved = !stale;
  return {
    exports: module.exports as T,
    fromCache: !stale,
    save() {
      if (saved) return;
      saved = true;
      writeCacheBytes(cacheFile, script.createCachedData());
    },
  };
}
