/** Finds, type-checks, runs and validates rule modules. Nothing is returned as loaded unless all of it is sound. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeFrame, type Diagnostic } from '../diagnostics.js';
import { drainProblems, locationInStack, registerGeneratedFile, type RuleProblem, type SourceLocation } from '../dsl/problems.js';
import { drainFilesRead, type RuleSpec } from '../dsl/rule.js';
import type { Rule } from '../model/rule.js';
import * as siemc from '../index.js';
import { projectOf } from '../cache/project.js';
import { filesUnder } from '../util/files.js';
import { bundleRules, instantiateBundle } from './bundle.js';
import { exportedRules, ModuleGraph, NeedsBundle, type ModuleStats } from './modules.js';
import { checkInWorker, createTypechecker, ProofFeed, type Typechecker } from './typecheck.js';
import { checkWithServer } from './check-client.js';
import type { ProofListener } from './test-data.js';
import { validateRules } from './validate.js';
import type { DiagnosticCode } from '../codes.js';

export interface LoadResult {
  readonly rules: readonly Rule[];
  /**
   * Every file the rules came from (modules run, JSON they imported, files read with
   * markdown()), when that is all they read; undefined when a module used a package or the
   * bundle (src/cli/build-memo.ts builds on it).
   */
  readonly inputs?: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** How many modules ran and how many results came from the cache (the module graph only). */
  readonly modules?: ModuleStats;
}

export function findRuleFiles(dir: string): string[] {
  return filesUnder(resolve(dir), (_, name) => /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts'));
}

export interface LoadOptions {
  /** Skip the TypeScript check (faster; for tests that load known-good rules). */
  readonly typecheck?: boolean;
  /** Keep nothing in the project's .siemc/cache (default: keep type-check state, compiled modules, test verdicts). */
  readonly cache?: boolean;
  /** A checker kept between loads (watch mode), instead of a new one per load. */
  readonly typechecker?: Typechecker;
  /**
   * Type-check beside the build while the rules run and are tested (one-shot CLI builds: the
   * check and the rest each take a core): by the rules folder's type-check server when one
   * answers (./check-server.ts), else in a worker thread. Type errors still win: with any,
   * nothing loaded counts.
   */
  readonly checkInWorker?: boolean;
  /**
   * Work on the loaded rules that may overlap the type check (compiling them); runs only when
   * the rules loaded without errors, and its results must be discarded when the check fails.
   * `coreFree` turns true once no worker thread of this build is checking (a second thread of
   * its own then has a core).
   */
  readonly whileChecking?: (rules: readonly Rule[], coreFree: () => boolean) => void;
  /**
   * Reuse what each rule module produced last time (./module-results.ts), so only modules whose
   * source or imports changed run (builds; needs the cache). Off by default: a caller loading
   * rules to inspect them gets every module run.
   */
  readonly reuseModules?: boolean;
  /** Stop esbuild's service once the modules are compiled (ModuleGraphOptions.stopEsbuild: the CLI's build, which owns the process). */
  readonly stopEsbuild?: boolean;
}

export async function loadRules(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files = findRuleFiles(dir);
  const project = projectOf(dir);
  const parallel = options.typecheck !== false && options.checkInWorker === true && options.typechecker === undefined;
  const feed = parallel ? new ProofFeed() : undefined;
  const checking = feed === undefined ? undefined : checkAside(files, dir, options.cache === false ? undefined : project.rulesCacheDir, feed);
  // A failed check in the worker must not go unhandled while the rules run.
  checking?.catch(() => undefined);
  if (options.typecheck !== false && !parallel) {
    const typeErrors = await typecheck(files, dir, project.rulesCacheDir, options);
    if (typeErrors.length > 0) return { rules: [], diagnostics: typeErrors };
  }
  const { rules, diagnostics, inputs, modules } = await runRuleModules(
    files,
    project.root,
    {
      ...(options.cache === false ? {} : { cacheDir: project.cacheDir, reuseResults: options.reuseModules === true }),
      ...(feed === undefined ? {} : { onProof: feed.add }),
      ...(options.stopEsbuild === true ? { stopEsbuild: true } : {}),
    },
  );
  feed?.flush();
  const all = [...diagnostics, ...validateRules(rules, options.cache === false ? {} : { testCacheFile: join(project.rulesCacheDir, 'test-verdicts.json') })];
  const failed = all.some((d) => d.severity === 'error');
  if (!failed) options.whileChecking?.(rules, () => feed?.checkingHere() !== true);
  if (checking !== undefined) {
    const typeErrors = await checking;
    if (typeErrors.length > 0) return { rules: [], diagnostics: typeErrors };
  }
  const stats = modules === undefined ? {} : { modules };
  return failed ? { rules: [], diagnostics: all, ...stats } : { rules, diagnostics: all, ...(inputs === undefined ? {} : { inputs }), ...stats };
}

/**
 * By the rules folder's type-check server when one answers (./check-server.ts), else in a
 * worker thread, started at once when there is no server, given the proofs the build makes.
 */
async function checkAside(files: readonly string[], dir: string, stateDir: string | undefined, feed: ProofFeed): Promise<Diagnostic[]> {
  const asking = stateDir === undefined ? undefined : checkWithServer(files, dir, stateDir);
  const served = asking === undefined ? undefined : await asking;
  if (served !== undefined) {
    feed.close();
    return served;
  }
  return checkInWorker(files, dir, stateDir === undefined ? {} : { stateDir }, feed);
}

/** Apart from loadRules, so a checker made here (and all it parsed) is garbage before the modules run. */
function typecheck(files: readonly string[], dir: string, stateDir: string, options: LoadOptions): Promise<Diagnostic[]> {
  const checker = options.typechecker ?? createTypechecker(dir, options.cache === false ? {} : { stateDir });
  return checker.check(files);
}

let loads = 0;

function problemDiagnostic(code: DiagnosticCode, message: string, location: SourceLocation | undefined): Diagnostic {
  let frame: string | undefined;
  try {
    frame = location === undefined ? undefined : codeFrame(readFileSync(location.file, 'utf8'), location.line, location.column);
  } catch {
    frame = undefined;
  }
  return { code, severity: 'error', message, ...(location === undefined ? {} : { location }), ...(frame === undefined ? {} : { frame }) };
}

interface RunnableModule {
  readonly file: string;
  /** The rules the module exports, in source order (it runs, or its result is replayed); throws what it threw. */
  readonly load: () => readonly Rule[];
}

/** How the modules are run: compiled one by one and cached (default), or as one bundle. */
interface ModuleRunner {
  /** Compile errors, or the modules in file order. */
  prepare(api: object): Promise<{ errors: readonly { message: string; location?: SourceLocation }[]; modules: readonly RunnableModule[] }>;
  /** Called for each rule defineRule builds. */
  built(rule: Rule): void;
  /** The problems reported by a module (and what it imported) since the last call. */
  problems(file: string): readonly RuleProblem[];
  /** Rules built by modules that did not run (their results were reused). */
  replayed(): readonly Rule[];
  /** The files the modules read (see LoadResult.inputs), after they ran. */
  inputs(): readonly string[] | undefined;
  stats(): ModuleStats | undefined;
  close(): void;
}

function graphRunner(files: readonly string[], rootDir: string, options: RunOptions): ModuleRunner {
  let graph: ModuleGraph | undefined;
  return {
    async prepare(api) {
      const g = new ModuleGraph({ rootDir, siemcModule: api, ...options });
      graph = g;
      const errors = await g.prepare(files);
      if (errors.length === 0) g.runStale();
      return { errors, modules: files.map((file) => ({ file, load: () => g.rules(file) })) };
    },
    built: (rule) => graph?.noteBuilt(rule),
    problems: (file) => graph?.problems(file) ?? [],
    replayed: () => graph?.replayedRules() ?? [],
    inputs: () => graph?.inputs(),
    stats: () => graph?.stats(),
    close: () => graph?.close(),
  };
}

function bundleRunner(files: readonly string[], rootDir: string, cacheDir: string): ModuleRunner {
  let unregister = (): void => undefined;
  return {
    async prepare(api) {
      // Named per load: stack positions are mapped by file name. Never written to disk.
      const bundle = await bundleRules(files, rootDir, join(cacheDir, `rules-bundle-${process.pid}-${++loads}.cjs`));
      if (Array.isArray(bundle)) return { errors: bundle, modules: [] };
      unregister = registerGeneratedFile(bundle.file, bundle.map);
      return { errors: [], modules: instantiateBundle(bundle, api, rootDir).map((m) => ({ file: m.file, load: () => exportedRules(m.load()) })) };
    },
    built: () => undefined,
    problems: () => drainProblems(),
    replayed: () => [],
    inputs: () => undefined,
    stats: () => undefined,
    close: () => unregister(),
  };
}

export interface RunOptions {
  /** Keep compiled modules in this cache folder (default: compile every module again). */
  readonly cacheDir?: string;
  /** Reuse module results kept in cacheDir (LoadOptions.reuseModules). */
  readonly reuseResults?: boolean;
  /** Told each proof of plain test events made while lifting them (ProofFeed). */
  readonly onProof?: ProofListener;
  /** ModuleGraphOptions.stopEsbuild. */
  readonly stopEsbuild?: boolean;
}

/**
 * Runs every rule module and collects the rules they export, in file order and source order
 * within a file. A rule built but not exported is an error: it would silently not be built.
 */
export async function runRuleModules(files: readonly string[], rootDir: string, options: RunOptions = {}): Promise<LoadResult> {
  const first = await runWith(graphRunner(files, rootDir, options));
  return first ?? ((await runWith(bundleRunner(files, rootDir, options.cacheDir ?? join(rootDir, '.siemc', 'cache')))) as LoadResult);
}

/** The loaded rules, or undefined when a module needs the bundler (the graph runner only). */
async function runWith(runner: ModuleRunner): Promise<LoadResult | undefined> {
  const diagnostics: Diagnostic[] = [];
  const built: Rule[] = [];
  const api = {
    ...siemc,
    defineRule: (spec: RuleSpec): Rule => {
      const rule = siemc.defineRule(spec);
      built.push(rule);
      runner.built(rule);
      return rule;
    },
  };
  const rules: Rule[] = [];
  const exported = new Set<Rule>();
  let inputs: readonly string[] | undefined;
  let stats: ModuleStats | undefined;
  try {
    drainProblems();
    drainFilesRead();
    const { errors, modules } = await runner.prepare(api);
    if (errors.length > 0) return { rules: [], diagnostics: errors.map((e) => problemDiagnostic('SIEMC-L001', e.message, e.location)) };
    for (const module of modules) {
      try {
        for (const rule of module.load()) {
          if (!exported.has(rule)) rules.push(rule);
          exported.add(rule);
        }
      } catch (e) {
        if (e instanceof NeedsBundle) return undefined;
        const message = e instanceof Error ? e.message : String(e);
        const at = e instanceof Error ? locationInStack(e.stack ?? '') : undefined;
        diagnostics.push(problemDiagnostic('SIEMC-L001', `${module.file} failed to load: ${message}`, at));
      }
      for (const p of runner.problems(module.file)) diagnostics.push(problemDiagnostic(p.code, p.message, p.location));
    }
    const read = drainFilesRead();
    const ran = runner.inputs();
    inputs = ran === undefined ? undefined : [...new Set([...ran, ...read])];
    stats = runner.stats();
  } finally {
    runner.close();
    drainProblems();
    drainFilesRead();
  }
  for (const rule of [...built, ...runner.replayed()]) {
    if (!exported.has(rule))
      diagnostics.push({
        ...problemDiagnostic('SIEMC-L002', `rule ${rule.id} is defined with defineRule but not exported, so siemc cannot build it; export it from its module`, rule.location),
        rule: rule.id,
      });
  }
  return { rules, diagnostics, ...(inputs === undefined ? {} : { inputs }), ...(stats === undefined ? {} : { modules: stats }) };
}
