/**
 * Runs rule modules as CommonJS compiled by esbuild, each file compiled once and cached by its
 * content in the project's .siemc/cache, so a rebuild compiles only what changed.
 *
 * All files missing from the cache are compiled in one esbuild pass (many entry points, no
 * bundling); a module graph here links them. Each module is run once, whoever imports it
 * first (shared lists included), and a module that throws fails alone, by name.
 *   - `siemc` is the copy of siemc running the loader (`siemcModule`), so rules and the CLI share
 *     one DSL, one problem list and one rule registry.
 *   - `import.meta` is the module's own: `markdown(import.meta.url, './guide.md')` works.
 *   - Node built-ins and CommonJS packages come from Node; a package Node cannot require
 *     (ESM-only, or a tsconfig path alias) makes the caller fall back to one esbuild bundle.
 *   - Stack positions map back to the TypeScript sources through each module's source map.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { build, transformSync, version as esbuildVersion, type BuildFailure, type Message } from 'esbuild';
import { registerGeneratedFile, type SourceLocation } from '../dsl/problems.js';
import { readCacheJson, writeCacheJson } from '../cache/store.js';
import { LazySourceMap } from './source-map.js';

const META = '__siemc_import_meta';
const FORMAT = 'siemc-module/1';

interface Compiled {
  readonly format: string;
  readonly code: string;
  /** The `mappings` of the module's source map (its one source is the module's file). */
  readonly mappings: string;
}

export interface ModuleError {
  readonly message: string;
  readonly location?: SourceLocation;
}

/** Thrown when a module imports something only a bundler can resolve. */
export class NeedsBundle extends Error {}

const SOURCE = /\.([cm]?[jt]sx?)$/;

function loaderFor(file: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  const ext = extname(file);
  return ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : /^\.[cm]?ts$/.test(ext) ? 'ts' : 'js';
}

const OPTIONS = { format: 'cjs', platform: 'node', target: `node${process.versions.node}`, define: { 'import.meta': META } } as const;

function cacheKey(file: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, esbuildVersion, OPTIONS, file])).update(text).digest('hex');
}

function messageLocation(m: Message, cwd: string): SourceLocation | undefined {
  if (m.location === null) return undefined;
  return { file: resolve(cwd, m.location.file), line: m.location.line, column: m.location.column + 1 };
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);
}

/** TypeScript's resolution of a relative import: `./x.js` may name `./x.ts`, `./x` may name `./x/index.ts`. */
function resolveLocal(fromDir: string, specifier: string): string | undefined {
  const base = isAbsolute(specifier) ? specifier : resolve(fromDir, specifier);
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const candidates =
    ext === '.js' || ext === '.jsx'
      ? [`${stem}.ts`, `${stem}.tsx`, base]
      : ext === '.mjs'
        ? [`${stem}.mts`, base]
        : ext === '.cjs'
          ? [`${stem}.cts`, base]
          : [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.js`, `${base}.mjs`, `${base}.json`, join(base, 'index.ts'), join(base, 'index.js')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

export interface ModuleGraphOptions {
  readonly rootDir: string;
  /** Compiled modules are kept under `<cacheDir>/modules`; none: no cache. */
  readonly cacheDir?: string;
  readonly siemcModule: object;
}

interface ModuleRecord {
  exports: unknown;
  state: 'running' | 'done' | 'failed';
  error?: unknown;
}

export class ModuleGraph {
  private readonly compiled = new Map<string, Compiled>();
  private readonly records = new Map<string, ModuleRecord>();
  private readonly unregister: (() => void)[] = [];

  constructor(private readonly options: ModuleGraphOptions) {}

  private cachePath(key: string): string | undefined {
    return this.options.cacheDir === undefined ? undefined : join(this.options.cacheDir, 'modules', key.slice(0, 2), `${key}.json`);
  }

  /** Compiles the files not in the cache, in one esbuild pass; returns the compile errors. */
  async prepare(files: readonly string[]): Promise<ModuleError[]> {
    const missing: { file: string; key: string }[] = [];
    for (const file of files) {
      const key = cacheKey(file, readFileSync(file, 'utf8'));
      const path = this.cachePath(key);
      const hit = path === undefined ? undefined : readCacheJson<Compiled>(path, FORMAT);
      if (hit !== undefined) this.compiled.set(file, hit);
      else missing.push({ file, key });
    }
    if (missing.length === 0) return [];
    const outdir = join(this.options.rootDir, '.siemc', 'out');
    let result;
    try {
      result = await build({
        ...OPTIONS,
        entryPoints: missing.map((m) => m.file),
        absWorkingDir: this.options.rootDir,
        bundle: false,
        write: false,
        outdir,
        outbase: '/',
        outExtension: { '.js': '.js' },
        sourcemap: 'external',
        sourcesContent: false,
        logLevel: 'silent',
        logLimit: 0,
      });
    } catch (e) {
      if (!isBuildFailure(e)) throw e;
      return e.errors.map((m) => {
        const location = messageLocation(m, this.options.rootDir);
        const where = location?.file ?? 'a rule module';
        return { message: `${where} failed to load: ${m.text}`, ...(location === undefined ? {} : { location }) };
      });
    }
    const outputs = new Map(result.outputFiles.map((f) => [f.path, f.text]));
    for (const { file, key } of missing) {
      const out = join(outdir, `${file.slice(1, file.length - extname(file).length)}.js`);
      const code = outputs.get(out);
      const map = outputs.get(`${out}.map`);
      if (code === undefined || map === undefined) throw new Error(`esbuild wrote no output for ${file}`);
      this.store(file, key, code, map);
    }
    return [];
  }

  private store(file: string, key: string, code: string, mapText: string): Compiled {
    const compiled: Compiled = { format: FORMAT, code, mappings: (JSON.parse(mapText) as { mappings: string }).mappings };
    this.compiled.set(file, compiled);
    const path = this.cachePath(key);
    if (path !== undefined) writeCacheJson(path, compiled);
    return compiled;
  }

  /** A module outside the prepared set (imported from outside the rules folder): compiled on its own. */
  private compile(file: string): Compiled {
    const known = this.compiled.get(file);
    if (known !== undefined) return known;
    const text = readFileSync(file, 'utf8');
    const key = cacheKey(file, text);
    const path = this.cachePath(key);
    const hit = path === undefined ? undefined : readCacheJson<Compiled>(path, FORMAT);
    if (hit !== undefined) {
      this.compiled.set(file, hit);
      return hit;
    }
    const out = transformSync(text, { ...OPTIONS, loader: loaderFor(file), sourcemap: 'external', sourcesContent: false, sourcefile: file });
    return this.store(file, key, out.code, out.map);
  }

  /** Runs the module (once) and returns its exports; throws what the module threw. */
  require(file: string): unknown {
    const known = this.records.get(file);
    if (known !== undefined) {
      if (known.state === 'failed') throw known.error;
      return known.exports; // done, or a cycle: the exports so far, as in CommonJS
    }
    const compiled = this.compile(file);
    const module = { exports: {} as unknown };
    const record: ModuleRecord = { exports: module.exports, state: 'running' };
    this.records.set(file, record);
    // Positions in the compiled code map back to the file (named apart, so the two never mix).
    const generated = `${file}.siemc.cjs`;
    const map = new LazySourceMap(compiled.mappings);
    this.unregister.push(
      registerGeneratedFile(generated, (line, column) => {
        const at = map.find(line - 1, column - 1);
        return at === undefined ? undefined : { file, line: at.line + 1, column: at.column + 1 };
      }),
    );
    const nodeRequire = createRequire(file);
    const requireFrom = (specifier: string): unknown => this.resolveImport(file, specifier, nodeRequire);
    const meta = { url: pathToFileURL(file).href, filename: file, dirname: dirname(file) };
    try {
      const run = compileFunction(compiled.code, ['exports', 'require', 'module', '__filename', '__dirname', META], { filename: generated });
      run(module.exports, requireFrom, module, file, dirname(file), meta);
      record.exports = module.exports;
      record.state = 'done';
      return module.exports;
    } catch (e) {
      record.state = 'failed';
      record.error = e;
      throw e;
    }
  }

  private resolveImport(from: string, specifier: string, nodeRequire: NodeRequire): unknown {
    if (specifier === 'siemc') return this.options.siemcModule;
    if (isBuiltin(specifier)) return nodeRequire(specifier);
    if (specifier.startsWith('.') || isAbsolute(specifier)) {
      const file = resolveLocal(dirname(from), specifier);
      if (file === undefined) throw new Error(`cannot find module "${specifier}" imported from ${from}`);
      if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (SOURCE.test(file)) return this.require(file);
      return nodeRequire(file);
    }
    try {
      return nodeRequire(specifier);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'MODULE_NOT_FOUND' || code === 'ERR_REQUIRE_ESM' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
        throw new NeedsBundle(`"${specifier}" imported from ${from} needs bundling`);
      throw e;
    }
  }

  /** Drops the position maps: problems are recorded while modules run. */
  close(): void {
    for (const u of this.unregister.splice(0)) u();
  }
}
