/**
 * Runs rule modules as CommonJS compiled by esbuild, each file compiled once and cached by its
 * content in the project's .siemc/cache, so a rebuild compiles only what changed.
 *
 * All files missing from the cache are compiled by esbuild, many entry points per pass, no
 * bundling (ESBUILD_PASS); a module graph here links them. Each module is run once, whoever imports it
 * first (shared lists included), and a module that throws fails alone, by name.
 *   - `siemc` is the copy of siemc running the loader (`siemcModule`), so rules and the CLI share
 *     one DSL, one problem list and one rule registry.
 *   - `import.meta` is the module's own: `markdown(import.meta.url, './guide.md')` works.
 *   - Node built-ins and CommonJS packages come from Node; a package Node cannot require
 *     (ESM-only, or a tsconfig path alias) makes the caller fall back to one esbuild bundle.
 *   - Stack positions map back to the TypeScript sources through each module's source map.
 *   - Plain test events are lifted out of the text esbuild compiles (./test-data.ts,
 *     liftPlainTests) and handed to the module as `__siemc_tests`, built from the tokens that
 *     proved them plain: most of a rule file is its events, which esbuild and V8 then skip.
 *
 * With `reuseResults`, what each module produced is kept too (./module-results.ts): a module
 * whose result key is unchanged is not run; its rules, problems and inputs come from the cache.
 * The modules that must run (changed, or reading what is not tracked) run first, with whatever
 * they import; the rest are then replayed in file order, so every module is either run or
 * replayed once, and a rule shared by two modules stays one rule.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { build, stop as stopEsbuild, transformSync, version as esbuildVersion, type BuildFailure, type Message, type Plugin } from 'esbuild';
import { drainProblems, registerGeneratedFile, type RuleProblem, type SourceLocation } from '../dsl/problems.js';
import { drainFilesRead } from '../dsl/rule.js';
import { isRule, type Rule } from '../model/rule.js';
import { CachePack } from '../cache/pack.js';
import { restoreRule, RESULTS_FORMAT, resultKey, storeRule, type ModuleDep, type ModuleResult, type StoredRule } from './module-results.js';
import { siemcVersion } from '../cache/version.js';
import { LazySourceMap } from './source-map.js';
import { LIFTED_TESTS, liftPlainTests, type ProofListener } from './test-data.js';

const META = '__siemc_import_meta';
const FORMAT = 'siemc-modules/3';

interface Compiled {
  readonly code: string;
  /** The `mappings` of the module's source map (its one source is the module's file). */
  readonly mappings: string;
  /**
   * How many test elements were lifted out of its text (./test-data.ts, liftPlainTests). Their
   * values are not cached: lifting is a function of the text the code was compiled from, so a
   * module compiled in an earlier build that must run again lifts them from that text.
   */
  readonly lifted?: number;
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

/**
 * Entry points per esbuild pass. One pass over all 1,550 modules of 1,000 rules held 410 MB in
 * esbuild's process and took 1.9 s of its CPU; passes of 100 one after another held 85 MB and
 * took 1.25-1.5 s, in the same wall time (esbuild's cost per entry point grows with their number).
 */
const ESBUILD_PASS = 100;

/** The rules among a module's exports, in source order (exports come alphabetically). */
export function exportedRules(exports: unknown): Rule[] {
  const values = typeof exports === 'object' && exports !== null ? Object.values(exports as Record<string, unknown>) : [];
  return values.filter(isRule).sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
}

const contentHash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The compile key of a module: its text and file, esbuild's version and settings, and siemc's
 * version, since the compiled code depends on which test elements siemc lifts out of the text
 * (a cached module runs with the values this siemc lifts from that text).
 */
function cacheKey(file: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, siemcVersion(), esbuildVersion, OPTIONS, file])).update(text).digest('hex');
}

function messageLocation(m: Message, cwd: string): SourceLocation | undefined {
  if (m.location === null) return undefined;
  return { file: resolve(cwd, m.location.file), line: m.location.line, column: m.location.column + 1 };
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);
}

/**
 * Gives esbuild each module's text with its plain test elements lifted out (./test-data.ts),
 * keeping their values by file: esbuild then parses a tenth of a typical rule file.
 */
function liftTests(texts: ReadonlyMap<string, string>, lifted: Map<string, unknown[]>, onProof: ProofListener | undefined): Plugin {
  return {
    name: 'siemc-lift-tests',
    setup(b) {
      b.onLoad({ filter: SOURCE }, (args) => {
        // The text the compile key was made from, not the file read again.
        const { text, values } = lift(args.path, texts.get(args.path) ?? readFileSync(args.path, 'utf8'), onProof);
        lifted.set(args.path, values);
        return { contents: text, loader: loaderFor(args.path) };
      });
    },
  };
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
  /** Keep and reuse module results under `<cacheDir>/results` (needs cacheDir). */
  readonly reuseResults?: boolean;
  /** Told each proof of plain test events made while lifting them (for a type check running meanwhile). */
  readonly onProof?: ProofListener;
  /**
   * Stop esbuild's service once the modules are compiled: a one-shot build uses esbuild for
   * nothing else, and the idle service held ~40 MB to the end of the build, its peak. A later
   * esbuild call starts it again; one in flight elsewhere in the process would fail, so only a
   * caller that owns the process (the CLI's build) asks.
   */
  readonly stopEsbuild?: boolean;
}

/** liftPlainTests, passing its proof on. */
function lift(file: string, text: string, onProof: ProofListener | undefined): ReturnType<typeof liftPlainTests> {
  const lifted = liftPlainTests(text);
  if (lifted.ranges !== undefined) onProof?.(file, text, lifted.ranges);
  return lifted;
}

/** The compiled-module pack of a cache folder, opened once per load. */
function modulePack(cacheDir: string | undefined): CachePack<Compiled> | undefined {
  return cacheDir === undefined ? undefined : new CachePack<Compiled>(join(cacheDir, 'modules', 'pack'), FORMAT);
}

interface ModuleRecord {
  readonly file: string;
  exports: unknown;
  state: 'running' | 'done' | 'failed';
  error?: unknown;
  readonly deps: ModuleDep[];
  readonly reads: string[];
  readonly problems: RuleProblem[];
  readonly defined: Rule[];
  /** The rules among its exports as [module that built it, index there]; undefined when one was not built through the loader. */
  exported?: readonly (readonly [string, number])[] | undefined;
  /** Imported a package, a Node built-in or a file Node loads: its result depends on more than the cache can check. */
  uncacheable: boolean;
}

interface Replayed {
  readonly result: ModuleResult;
  readonly defined: readonly Rule[];
}

export interface ModuleStats {
  /** Modules run (including those that failed). */
  readonly ran: number;
  /** Modules whose result came from the cache. */
  readonly reused: number;
}

export class ModuleGraph {
  private readonly compiled = new Map<string, Compiled>();
  /** Lifted test values of the modules compiled or found compiled in this load, until they run. */
  private readonly lifted = new Map<string, unknown[]>();
  private readonly records = new Map<string, ModuleRecord>();
  private readonly unregister: (() => void)[] = [];
  private readonly pack: CachePack<Compiled> | undefined;
  private readonly results: CachePack<ModuleResult> | undefined;
  /** Files read other than the modules run (JSON imports); undefined once a module reached outside them (a package). */
  private extraInputs: Set<string> | undefined = new Set();
  /** Compile keys of the module files, by file. */
  private readonly codeKeys = new Map<string, string | undefined>();
  private readonly digests = new Map<string, string | undefined>();
  /** Result keys from the cache, valid for this build (null: none, or being computed). */
  private readonly storedKeys = new Map<string, string | null>();
  private readonly replayed = new Map<string, Replayed>();
  /** Which module built each rule, and at which index. */
  private readonly builtBy = new Map<Rule, readonly [string, number]>();
  private readonly running: ModuleRecord[] = [];
  /** Problems reported outside any module. */
  private readonly loose: RuleProblem[] = [];
  private readonly emitted = new Set<string>();
  /** Root files whose result must be made again, in file order. */
  private stale: readonly string[] = [];

  constructor(private readonly options: ModuleGraphOptions) {
    this.pack = modulePack(options.cacheDir);
    this.results =
      options.cacheDir === undefined || options.reuseResults !== true ? undefined : new CachePack<ModuleResult>(join(options.cacheDir, 'results', 'pack'), RESULTS_FORMAT);
  }

  private codeKeyOf(file: string): string | undefined {
    if (this.codeKeys.has(file)) return this.codeKeys.get(file);
    let key: string | undefined;
    try {
      key = cacheKey(file, readFileSync(file, 'utf8'));
    } catch {
      key = undefined;
    }
    this.codeKeys.set(file, key);
    return key;
  }

  private digest = (file: string): string | undefined => {
    if (this.digests.has(file)) return this.digests.get(file);
    let d: string | undefined;
    try {
      d = contentHash(readFileSync(file));
    } catch {
      d = undefined;
    }
    this.digests.set(file, d);
    return d;
  };

  /** The cached result's key when that result holds for this build (same code, same imports, same inputs). */
  private storedKey = (file: string): string | undefined => {
    const known = this.storedKeys.get(file);
    if (known !== undefined) return known ?? undefined;
    this.storedKeys.set(file, null); // a cycle has no key
    const entry = this.results?.entry(file);
    let key: string | undefined;
    if (entry !== undefined && entry.value.code === this.codeKeyOf(file)) {
      const resolvedAlike = entry.value.deps.every((d) => d.kind === 'siemc' || resolveLocal(dirname(file), d.specifier) === d.file);
      const now = resolvedAlike ? resultKey(entry.value, this.storedKey, this.digest) : undefined;
      if (now === entry.key) key = now;
    }
    this.storedKeys.set(file, key ?? null);
    return key;
  };

  /** Compiles the files not in the cache, ESBUILD_PASS per esbuild pass; returns the compile errors of all passes. */
  async prepare(files: readonly string[]): Promise<ModuleError[]> {
    const texts = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      texts.set(file, text);
      this.codeKeys.set(file, cacheKey(file, text));
    }
    this.stale = this.results === undefined ? files : files.filter((f) => this.storedKey(f) === undefined);
    const staleSet = new Set(this.stale);
    const missing: { file: string; key: string }[] = [];
    for (const file of files) {
      const key = this.codeKeys.get(file) as string;
      // A module replayed keeps its compiled code for when it must run again.
      if (!staleSet.has(file)) {
        this.pack?.retain(file);
        continue;
      }
      const hit = this.pack?.get(file, key);
      if (hit !== undefined) {
        this.compiled.set(file, hit);
        if ((hit.lifted ?? 0) > 0) this.lifted.set(file, lift(file, texts.get(file) as string, this.options.onProof).values);
      } else missing.push({ file, key });
    }
    if (missing.length === 0) return [];
    const outdir = join(this.options.rootDir, '.siemc', 'out');
    const outputs = new Map<string, string>();
    const errors: ModuleError[] = [];
    // Passes of ESBUILD_PASS entry points, one after another, every pass's errors collected.
    for (let i = 0; i < missing.length; i += ESBUILD_PASS) {
      try {
        const result = await build({
          ...OPTIONS,
          entryPoints: missing.slice(i, i + ESBUILD_PASS).map((m) => m.file),
          plugins: [liftTests(texts, this.lifted, this.options.onProof)],
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
        for (const f of result.outputFiles) outputs.set(f.path, f.text);
      } catch (e) {
        if (!isBuildFailure(e)) throw e;
        for (const m of e.errors) {
          const location = messageLocation(m, this.options.rootDir);
          const where = location?.file ?? 'a rule module';
          errors.push({ message: `${where} failed to load: ${m.text}`, ...(location === undefined ? {} : { location }) });
        }
      }
    }
    if (this.options.stopEsbuild === true) await stopEsbuild();
    if (errors.length > 0) return errors;
    for (const { file, key } of missing) {
      const out = join(outdir, `${file.slice(1, file.length - extname(file).length)}.js`);
      const code = outputs.get(out);
      const map = outputs.get(`${out}.map`);
      if (code === undefined || map === undefined) throw new Error(`esbuild wrote no output for ${file}`);
      this.store(file, key, code, map, this.lifted.get(file)?.length ?? 0);
    }
    return [];
  }

  /**
   * Runs the root modules whose results must be made again (all of them without reuseResults),
   * in file order, each with what it imports. What one throws is thrown again by rules().
   */
  runStale(): void {
    for (const file of this.stale) {
      try {
        this.require(file);
      } catch {
        // Kept in the module's record.
      }
    }
  }

  private store(file: string, key: string, code: string, mapText: string, lifted: number): Compiled {
    const mappings = (JSON.parse(mapText) as { mappings: string }).mappings;
    const compiled: Compiled = lifted === 0 ? { code, mappings } : { code, mappings, lifted };
    this.compiled.set(file, compiled);
    this.pack?.set(file, key, compiled);
    return compiled;
  }

  /** A module outside the prepared set (imported from outside the rules folder, or replayed before): compiled on its own. */
  private compile(file: string): Compiled {
    const known = this.compiled.get(file);
    if (known !== undefined) return known;
    const text = readFileSync(file, 'utf8');
    const key = cacheKey(file, text);
    const lifted = lift(file, text, this.options.onProof);
    this.lifted.set(file, lifted.values);
    const hit = this.pack?.get(file, key);
    if (hit !== undefined) {
      this.compiled.set(file, hit);
      return hit;
    }
    const out = transformSync(lifted.text, { ...OPTIONS, loader: loaderFor(file), sourcemap: 'external', sourcesContent: false, sourcefile: file });
    return this.store(file, key, out.code, out.map, lifted.values.length);
  }

  /** Gives the problems and files read so far to the module running (or to no module). */
  private settle(): void {
    const problems = drainProblems();
    const reads = drainFilesRead();
    const current = this.running[this.running.length - 1];
    if (current === undefined) {
      this.loose.push(...problems);
      return;
    }
    current.problems.push(...problems);
    current.reads.push(...reads.filter((r) => !current.reads.includes(r)));
  }

  /** Called for every rule defineRule builds: it belongs to the module running. */
  noteBuilt(rule: Rule): void {
    const current = this.running[this.running.length - 1];
    if (current === undefined) return;
    this.builtBy.set(rule, [current.file, current.defined.length]);
    current.defined.push(rule);
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
    const record: ModuleRecord = { file, exports: module.exports, state: 'running', deps: [], reads: [], problems: [], defined: [], uncacheable: false };
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
    const requireFrom = (specifier: string): unknown => this.resolveImport(file, record, specifier, nodeRequire);
    const meta = { url: pathToFileURL(file).href, filename: file, dirname: dirname(file) };
    this.settle();
    this.running.push(record);
    try {
      const run = compileFunction(compiled.code, ['exports', 'require', 'module', '__filename', '__dirname', META, LIFTED_TESTS], { filename: generated });
      run(module.exports, requireFrom, module, file, dirname(file), meta, this.liftedValues(file, compiled));
      record.exports = module.exports;
      record.state = 'done';
      record.exported = this.exportedRefs(module.exports);
      return module.exports;
    } catch (e) {
      record.state = 'failed';
      record.error = e;
      throw e;
    } finally {
      this.settle();
      this.running.pop();
    }
  }

  /** The lifted test values the module's code reads, from the text it was compiled from (taken: a module runs once). */
  private liftedValues(file: string, compiled: Compiled): readonly unknown[] {
    const values = this.lifted.get(file) ?? [];
    this.lifted.delete(file);
    if (values.length !== (compiled.lifted ?? 0)) throw new Error(`internal error: ${file} was compiled with ${compiled.lifted ?? 0} lifted test(s), but ${values.length} were found`);
    return values;
  }

  private exportedRefs(exports: unknown): readonly (readonly [string, number])[] | undefined {
    try {
      const refs = exportedRules(exports).map((r) => this.builtBy.get(r));
      return refs.every((r) => r !== undefined) ? (refs as (readonly [string, number])[]) : undefined;
    } catch {
      return undefined;
    }
  }

  private resolveImport(from: string, record: ModuleRecord, specifier: string, nodeRequire: NodeRequire): unknown {
    if (specifier === 'siemc') {
      record.deps.push({ kind: 'siemc' });
      return this.options.siemcModule;
    }
    if (isBuiltin(specifier)) {
      record.uncacheable = true; // fs, process ...: reads what no key covers
      return nodeRequire(specifier);
    }
    if (specifier.startsWith('.') || isAbsolute(specifier)) {
      const file = resolveLocal(dirname(from), specifier);
      if (file === undefined) throw new Error(`cannot find module "${specifier}" imported from ${from}`);
      if (file.endsWith('.json')) {
        this.extraInputs?.add(file);
        record.deps.push({ kind: 'json', specifier, file });
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      }
      if (SOURCE.test(file)) {
        record.deps.push({ kind: 'module', specifier, file });
        return this.require(file);
      }
      this.extraInputs = undefined;
      record.uncacheable = true;
      return nodeRequire(file);
    }
    this.extraInputs = undefined; // a package: its files are not tracked
    record.uncacheable = true;
    try {
      return nodeRequire(specifier);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'MODULE_NOT_FOUND' || code === 'ERR_REQUIRE_ESM' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
        throw new NeedsBundle(`"${specifier}" imported from ${from} needs bundling`);
      throw e;
    }
  }

  /** Brings back a module's result from the cache, with the results of what it imported. */
  private replay(file: string): void {
    if (this.records.has(file) || this.replayed.has(file)) return;
    const result = this.results?.entry(file)?.value as ModuleResult;
    this.pack?.retain(file);
    for (const d of result.deps) if (d.kind === 'module') this.replay(d.file);
    const defined = result.defined.map((stored: StoredRule, i) => {
      const rule = restoreRule(stored);
      this.builtBy.set(rule, [file, i]);
      return rule;
    });
    this.replayed.set(file, { result, defined });
  }

  private ruleAt([file, i]: readonly [string, number]): Rule {
    const rule = this.records.get(file)?.defined[i] ?? this.replayed.get(file)?.defined[i];
    if (rule === undefined) throw new Error(`no rule ${i} of ${file} in the module results`);
    return rule;
  }

  /**
   * The rules a root module exports, in source order: from its run, or from its cached result
   * when it did not have to run. Throws what the module threw.
   */
  rules(file: string): readonly Rule[] {
    if (!this.records.has(file) && this.results !== undefined && this.storedKey(file) !== undefined) {
      this.replay(file);
      return (this.replayed.get(file) as Replayed).result.exported.map((ref) => this.ruleAt(ref));
    }
    return exportedRules(this.require(file));
  }

  /** The problems of the module and of what it imported not yet returned, what it imported first. */
  problems(file: string): RuleProblem[] {
    this.settle();
    const out = this.loose.splice(0);
    const visit = (f: string): void => {
      if (this.emitted.has(f)) return;
      this.emitted.add(f);
      const record = this.records.get(f);
      const deps = record?.deps ?? this.replayed.get(f)?.result.deps ?? [];
      for (const d of deps) if (d.kind === 'module') visit(d.file);
      out.push(...(record?.problems ?? this.replayed.get(f)?.result.problems ?? []));
    };
    visit(file);
    return out;
  }

  /** Every rule of a replayed module (for the check that each built rule is exported). */
  replayedRules(): Rule[] {
    return [...this.replayed.values()].flatMap((r) => r.defined);
  }

  stats(): ModuleStats {
    return { ran: this.records.size, reused: this.replayed.size };
  }

  /**
   * Every file the modules run or replayed came from (the modules, the JSON they imported, the
   * files they read with markdown()), or undefined when one of them required a package or a
   * file Node loads, which are not tracked.
   */
  inputs(): readonly string[] | undefined {
    if (this.extraInputs === undefined) return undefined;
    const out = new Set([...this.records.keys(), ...this.extraInputs]);
    for (const r of this.records.values()) for (const f of r.reads) out.add(f);
    for (const [file, { result }] of this.replayed) {
      out.add(file);
      for (const d of result.deps) if (d.kind === 'json') out.add(d.file);
      for (const f of result.reads) out.add(f);
    }
    return [...out];
  }

  /** The result of a module that ran, when it can be kept. */
  private resultOf(file: string, record: ModuleRecord): ModuleResult | undefined {
    if (record.state !== 'done' || record.uncacheable || record.exported === undefined) return undefined;
    const code = this.codeKeyOf(file);
    if (code === undefined) return undefined;
    // A rule it exports must come from itself or from what it imports (else the key does not cover it).
    const within = new Set<string>();
    const reach = (f: string): void => {
      if (within.has(f)) return;
      within.add(f);
      for (const d of this.records.get(f)?.deps ?? this.replayed.get(f)?.result.deps ?? []) if (d.kind === 'module') reach(d.file);
    };
    reach(file);
    if (!record.exported.every(([f]) => within.has(f))) return undefined;
    const defined: StoredRule[] = [];
    for (const rule of record.defined) {
      const stored = storeRule(rule);
      if (stored === undefined) return undefined;
      defined.push(stored);
    }
    return { code, deps: record.deps, reads: record.reads, problems: record.problems, defined, exported: record.exported };
  }

  /** Keeps the results of the modules that ran, under keys made of what they imported. */
  private saveResults(results: CachePack<ModuleResult>): void {
    const fresh = new Map<string, ModuleResult | undefined>();
    const keys = new Map<string, string | null>();
    const keyOf = (file: string): string | undefined => {
      const known = keys.get(file);
      if (known !== undefined) return known ?? undefined;
      keys.set(file, null);
      const record = this.records.get(file);
      let key: string | undefined;
      if (record === undefined) key = this.storedKey(file);
      else {
        const result = this.resultOf(file, record);
        fresh.set(file, result);
        key = result === undefined ? undefined : resultKey(result, keyOf, this.digest);
      }
      keys.set(file, key ?? null);
      return key;
    };
    for (const file of this.records.keys()) {
      const key = keyOf(file);
      const result = fresh.get(file);
      if (key !== undefined && result !== undefined && results.entry(file)?.key !== key) results.set(file, key, result);
    }
  }

  /** Saves what was compiled and what ran, and drops the position maps: problems are recorded while modules run. */
  close(): void {
    this.settle();
    this.pack?.save();
    if (this.results !== undefined) {
      this.saveResults(this.results);
      this.results.save();
    }
    for (const u of this.unregister.splice(0)) u();
  }
}
