/**
 * Type-checks rule sources with the TypeScript compiler before anything runs: a misspelt ECS
 * field or a number compared with a keyword stops the build at its line.
 *
 * One program per run, and incremental, with state in the project's .siemc/cache:
 *   - nothing changed since the last run: its diagnostics, without starting TypeScript;
 *   - only rule-side modules changed (not siemc's types, a lib, the tsconfig, nor a file that
 *     declares globals): a program of just the changed files and the files that import them,
 *     every other file's diagnostics kept from before (a rule depends only on what it imports);
 *   - otherwise: every file, in batches of neighbouring files (one program each, released before
 *     the next), so memory stays that of one batch whatever the number of rules; the libraries
 *     and siemc's types are parsed and bound once and shared by the batches. A rule-side file that
 *     declares globals makes that one whole program instead (a batch would not see its globals).
 * In watch mode the checker also keeps parsed rule files between runs. Plain-data test events
 * are blanked before checking (./test-data.ts); they cannot fail.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type ts from 'typescript';
import { codeFrame, type Diagnostic } from '../diagnostics.js';
import { readCacheJson, writeCacheJson } from '../cache/store.js';
import { siemcVersion } from '../cache/version.js';
import { requireCached, userCodeCacheDir, type CachedModule } from '../cache/code-cache.js';
import { blankPlainTests, blankProven, type ProofListener } from './test-data.js';
import { siblingWorker } from '../util/sibling-worker.js';
import type { DiagnosticCode } from '../codes.js';

type TS = typeof ts;

export function findTsconfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A file's content hash, as the check state records it (and as a TestProof names its text). */
export const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where the plain test elements of one text are (./test-data.ts plainTestRanges), for the text whose hash it names. */
export interface TestProof {
  readonly hash: string;
  readonly ranges: readonly number[];
}

/** Size and modification time: when both are as recorded, the content hash is not recomputed. */
function stamp(file: string): string | undefined {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** What the last run knew about one rule-side file (a module outside node_modules, not a .d.ts). */
interface FileState {
  /** Files it imports, resolved. */
  readonly imports: readonly string[];
  /** A script, or a module declaring globals or augmenting modules: its edits can affect any file. */
  readonly global: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** A compiler host that also says what each file's imports resolved to. */
type CheckHost = ts.CompilerHost & { readonly importsOf: (file: string) => readonly string[] };

interface CheckState {
  readonly format: string;
  readonly key: string;
  readonly roots: readonly string[];
  /** Every file the program read (rules, siemc's types, TypeScript's libs), by content hash. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Their size and modification time when hashed. */
  readonly stamps: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, FileState>>;
  /** Config, option and global diagnostics, and those of files outside the rule side. */
  readonly general: readonly Diagnostic[];
}

const STATE_FORMAT = 'siemc-typecheck-state/3';

/** Required, not import()ed: Node's ESM loader scans all 9 MB of typescript.js for its exports first (~0.5 s). */
const loadTypescript = (): CachedModule<TS> => requireCached<TS>('typescript', import.meta.url, userCodeCacheDir());

export function typescriptVersion(): string {
  const require = createRequire(import.meta.url);
  return (JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const isRuleSide = (file: string): boolean => /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file) && !file.includes('/node_modules/');

export interface TypecheckerOptions {
  /** Where to keep the last run's state; none: no cache. */
  readonly stateDir?: string;
  /** Keep parsed rule files between checks (watch mode); otherwise only libraries and siemc's types stay parsed. */
  readonly keepRuleFiles?: boolean;
  /** Root files per program of a whole check (default BATCH_SIZE). */
  readonly batchSize?: number;
  /**
   * Proofs already made (a build's main thread lifts the test events of the modules it
   * compiles), by file; read as the check goes, so it may still be filling. A file whose text
   * has another hash is proved again.
   */
  readonly proofs?: ReadonlyMap<string, TestProof>;
}

/**
 * Root files per program of a whole check. Before test events were taken out of the checked
 * text (./test-data.ts), 1,000 rules in one program held ~300 MB (3,000: over 2 GB with the rest
 * of a build), and batches were 200 files. Each batch costs a program's setup (type references,
 * module resolution): alone, the 1,550 files of 1,000 rules check in 4.7 s as 8 batches and 4.1 s
 * as 2. In a build, beside the main thread's work, 400 and 1,000 took the same time within the
 * noise, and 1,000 raised the build's peak memory by 30 MB (590 MB against 560 MB). What one
 * batch holds is garbage once the next starts.
 */
export const BATCH_SIZE = 400;

/**
 * The worker's old-generation limit (MB). Batches keep its live data near 100 MB, but V8 lets
 * a heap grow far past what is live before collecting; the limit makes it collect instead
 * (3,000 rules: under 300 MB of memory, at no measurable cost in time). A check that needs more
 * runs again in the build's own thread.
 */
const WORKER_HEAP_MB = 320;

export interface Typechecker {
  /** All type errors of the rule files, each with file:line:col and a code frame. */
  check(files: readonly string[]): Promise<Diagnostic[]>;
  /** The last run's diagnostics when nothing it read has changed since, without starting TypeScript; else undefined. */
  unchanged(files: readonly string[]): Diagnostic[] | undefined;
  /**
   * Loads TypeScript and parses and binds what every check reads besides the rules (libraries,
   * declarations) through one rule file of the last check, so the next check starts from there.
   */
  warm(): void;
  /** How the last check ran (for the bench and tests). */
  readonly lastMode: 'unchanged' | 'subset' | 'full' | undefined;
}

/** All diagnostics of a state, file by file in path order. */
function diagnosticsOf(state: CheckState): Diagnostic[] {
  const files = Object.keys(state.files).sort();
  return [...state.general, ...files.flatMap((f) => state.files[f]?.diagnostics ?? [])];
}

/** A checker for one rules folder; keep it between runs (watch mode) to reuse parsed files. */
export function createTypechecker(rulesDir: string, options: TypecheckerOptions = {}): Typechecker {
  const tsconfig = findTsconfig(rulesDir);
  const statePath = options.stateDir === undefined ? undefined : join(options.stateDir, 'typecheck.json');
  type Parsed = { readonly version: string; readonly file: ts.SourceFile };
  /** Libraries, siemc's types, other packages' declarations: parsed and bound once, shared by every program. */
  const sharedCache = new Map<string, Parsed>();
  /** Rule-side files: for one check, or between checks in watch mode. */
  let ruleCache = new Map<string, Parsed>();
  let memoryState: CheckState | undefined;
  let tsModule: CachedModule<TS> | undefined;
  let lastMode: Typechecker['lastMode'];
  const key = hash(JSON.stringify([STATE_FORMAT, siemcVersion(), typescriptVersion(), tsconfig ?? null, tsconfig === undefined ? null : readOrUndefined(tsconfig)]));

  const loadState = (): CheckState | undefined => {
    const state = memoryState ?? (statePath === undefined ? undefined : readCacheJson<CheckState>(statePath, STATE_FORMAT));
    return state?.key === key ? state : undefined;
  };

  const blankTests = (fileName: string, text: string, version: string): string => {
    const proof = options.proofs?.get(fileName);
    return proof !== undefined && proof.hash === version ? blankProven(text, proof.ranges) : blankPlainTests(text);
  };

  /**
   * A host that reads through the parse cache, blanks plain test data and records what it read,
   * and what each file's imports resolved to (`importsOf`, the file's dependencies in the state).
   */
  const makeHost = (t: TS, compilerOptions: ts.CompilerOptions, inputs: Record<string, string>, stamps: Record<string, string>): CheckHost => {
    const host = t.createIncrementalCompilerHost(compilerOptions, t.sys);
    // Resolved as a program resolves without this hook (resolveModuleName, each import's mode,
    // one cache), the cache kept for every program of the host (the batches of a check: nothing
    // on disk changes meanwhile). Recording the answers replaced resolving every rule file's
    // imports again for its state: 0.5-0.6 s of a check of 1,000 rules.
    const resolution = t.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), compilerOptions);
    const resolved = new Map<string, string[]>();
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile) => {
      const answers = literals.map((literal) =>
        t.resolveModuleName(literal.text, containingFile, options, host, resolution, redirectedReference, t.getModeForUsageLocation(containingSourceFile, literal, options)),
      );
      resolved.set(containingSourceFile.fileName, answers.flatMap((a) => (a.resolvedModule === undefined ? [] : [a.resolvedModule.resolvedFileName])));
      return answers;
    };
    // As tsc does: JSDoc in TypeScript files cannot cause a type error, and parsing it was a
    // fifth of parsing the libraries and @types/node, which every check pays.
    host.jsDocParsingMode = t.JSDocParsingMode.ParseForTypeErrors;
    host.getSourceFile = (fileName, languageVersion) => {
      // A library or declaration file this check has read already (an earlier batch): as it was then.
      const shared = isRuleSide(fileName) ? undefined : sharedCache.get(fileName);
      if (shared !== undefined && inputs[fileName] === shared.version) return shared.file;
      const text = readOrUndefined(fileName);
      if (text === undefined) return undefined;
      const version = hash(text);
      inputs[fileName] = version;
      const st = stamp(fileName);
      if (st !== undefined) stamps[fileName] = st;
      const cache = isRuleSide(fileName) ? ruleCache : sharedCache;
      const known = cache.get(fileName);
      if (known !== undefined && known.version === version) return known.file;
      const file = t.createSourceFile(fileName, isRuleSide(fileName) ? blankTests(fileName, text, version) : text, languageVersion);
      cache.set(fileName, { version, file });
      return file;
    };
    host.writeFile = () => undefined; // noEmit: nothing is written
    return Object.assign(host, { importsOf: (file: string): readonly string[] => resolved.get(file) ?? [] });
  };

  const fileState = (t: TS, host: CheckHost, sf: ts.SourceFile, diagnostics: readonly Diagnostic[]): FileState => {
    const imports = host.importsOf(sf.fileName);
    const global =
      !t.isExternalModule(sf) ||
      sf.statements.some((s) => t.isModuleDeclaration(s) && (t.isStringLiteral(s.name) || s.name.text === 'global' || (t.getCombinedModifierFlags(s) & t.ModifierFlags.Ambient) !== 0));
    return { imports, global, diagnostics };
  };

  const save = (state: CheckState): void => {
    memoryState = state;
    if (statePath !== undefined) writeCacheJson(statePath, state);
  };

  /** The changed and affected rule-side files, or undefined when only a whole-program check is sound. */
  const plan = (state: CheckState, files: readonly string[]): { changed: Set<string>; affected: string[] } | undefined => {
    const roots = new Set(files);
    const changed = new Set<string>();
    for (const [file, version] of Object.entries(state.inputs)) {
      if (state.stamps[file] !== undefined && stamp(file) === state.stamps[file]) continue;
      const text = readOrUndefined(file);
      if (text === undefined || hash(text) !== version) changed.add(file);
    }
    for (const f of files) if (state.files[f] === undefined && state.inputs[f] === undefined) changed.add(f);
    for (const f of state.roots) if (!roots.has(f)) changed.add(f);
    for (const f of changed) if (!isRuleSide(f) || state.files[f]?.global === true) return undefined;
    const importers = new Map<string, string[]>();
    for (const [file, s] of Object.entries(state.files)) for (const i of s.imports) importers.set(i, [...(importers.get(i) ?? []), file]);
    const affected = new Set<string>();
    const visit = (f: string): void => {
      if (affected.has(f)) return;
      affected.add(f);
      for (const i of importers.get(f) ?? []) visit(i);
    };
    for (const f of changed) visit(f);
    // Many files affected: the builder, with its build info, does that as well.
    if (affected.size > Math.max(50, files.length / 4)) return undefined;
    return { changed, affected: [...affected].filter((f) => roots.has(f)) };
  };

  const checkSubset = async (t: TS, state: CheckState, files: readonly string[], changed: Set<string>, affected: readonly string[]): Promise<Diagnostic[] | undefined> => {
    const { options: compilerOptions } = compilerOptionsFor(t, tsconfig);
    const inputs: Record<string, string> = { ...state.inputs };
    const stamps: Record<string, string> = { ...state.stamps };
    for (const f of changed) {
      delete inputs[f];
      delete stamps[f];
    }
    const host = makeHost(t, compilerOptions, inputs, stamps);
    const program = t.createProgram({ rootNames: [...affected], options: compilerOptions, host });
    const recheck = new Set([...affected, ...changed]);
    const fileStates: Record<string, FileState> = {};
    // Unchanged files keep their entries; changed ones are re-entered if the program still reads them.
    for (const [f, s] of Object.entries(state.files)) if (!changed.has(f)) fileStates[f] = s;
    for (const sf of program.getSourceFiles()) {
      if (!isRuleSide(sf.fileName)) continue;
      if (!recheck.has(sf.fileName) && state.files[sf.fileName] !== undefined) continue;
      const ds = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => toDiagnostic(t, d));
      const s = fileState(t, host, sf, ds);
      if (s.global) return undefined; // a new global: only the whole program can say what it affects
      fileStates[sf.fileName] = s;
    }
    const general = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => toDiagnostic(t, d));
    const next: CheckState = { format: STATE_FORMAT, key, roots: [...files], inputs, stamps, files: fileStates, general };
    save(next);
    return diagnosticsOf(next);
  };

  /** Every file checked, in batches of neighbouring root files (whole: one program); undefined when a batch met a global file. */
  const checkAll = async (t: TS, files: readonly string[], batchSize: number): Promise<Diagnostic[] | undefined> => {
    const { options: compilerOptions, configDiagnostics } = compilerOptionsFor(t, tsconfig);
    const inputs: Record<string, string> = {};
    const stamps: Record<string, string> = {};
    const host = makeHost(t, compilerOptions, inputs, stamps);
    const roots = new Set(files);
    const general = configDiagnostics.map((d) => toDiagnostic(t, d));
    const generalFiles = new Set<string>();
    const fileStates: Record<string, FileState> = {};
    const batches = Math.max(1, Math.ceil(files.length / batchSize));
    for (let b = 0; b < batches; b++) {
      // A turn of the event loop between batches, where proofs made meanwhile arrive.
      if (b > 0) await new Promise((r) => setImmediate(r));
      const batch = files.slice(b * batchSize, (b + 1) * batchSize);
      const inBatch = new Set(batch);
      const program = t.createProgram({ rootNames: batch, options: compilerOptions, host });
      if (b === 0) general.push(...[...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => toDiagnostic(t, d)));
      for (const sf of program.getSourceFiles()) {
        const name = sf.fileName;
        if (isRuleSide(name)) {
          // Each rule-side file once: a root in its own batch, a file outside the roots where first met.
          if (fileStates[name] !== undefined || (roots.has(name) && !inBatch.has(name))) continue;
          const ds = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => toDiagnostic(t, d));
          const s = fileState(t, host, sf, ds);
          if (s.global && batches > 1) return undefined;
          fileStates[name] = s;
        } else if (!generalFiles.has(name)) {
          generalFiles.add(name);
          general.push(...[...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => toDiagnostic(t, d)));
        }
      }
      if (options.keepRuleFiles !== true) for (const f of batch) ruleCache.delete(f);
    }
    const state: CheckState = { format: STATE_FORMAT, key, roots: [...files], inputs, stamps, files: fileStates, general };
    save(state);
    return diagnosticsOf(state);
  };

  const checkFull = async (t: TS, files: readonly string[]): Promise<Diagnostic[]> => {
    try {
      return (await checkAll(t, files, options.batchSize ?? BATCH_SIZE)) ?? ((await checkAll(t, files, Number.POSITIVE_INFINITY)) as Diagnostic[]);
    } finally {
      if (options.keepRuleFiles !== true) ruleCache = new Map();
    }
  };

  return {
    get lastMode() {
      return lastMode;
    },
    warm() {
      const root = loadState()?.roots[0];
      if (root === undefined) return;
      tsModule ??= loadTypescript();
      const t = tsModule.exports;
      const { options: compilerOptions } = compilerOptionsFor(t, tsconfig);
      const program = t.createProgram({ rootNames: [root], options: compilerOptions, host: makeHost(t, compilerOptions, {}, {}) });
      const file = program.getSourceFile(root);
      if (file !== undefined) program.getSemanticDiagnostics(file);
      if (options.keepRuleFiles !== true) ruleCache = new Map();
      tsModule.save();
    },
    unchanged(files) {
      const state = loadState();
      const p = state === undefined ? undefined : plan(state, files);
      return state !== undefined && p !== undefined && p.changed.size === 0 ? diagnosticsOf(state) : undefined;
    },
    async check(files) {
      const state = loadState();
      const p = state === undefined ? undefined : plan(state, files);
      if (state !== undefined && p !== undefined && p.changed.size === 0) {
        lastMode = 'unchanged';
        return diagnosticsOf(state);
      }
      tsModule ??= loadTypescript();
      const t = tsModule.exports;
      try {
        if (state !== undefined && p !== undefined) {
          const result = await checkSubset(t, state, files, p.changed, p.affected);
          if (result !== undefined) {
            lastMode = 'subset';
            return result;
          }
        }
        lastMode = 'full';
        return await checkFull(t, files);
      } finally {
        tsModule.save();
      }
    },
  };
}

function compilerOptionsFor(t: TS, tsconfig: string | undefined): { options: ts.CompilerOptions; configDiagnostics: readonly ts.Diagnostic[] } {
  const base: ts.CompilerOptions =
    tsconfig === undefined
      ? { strict: true, target: t.ScriptTarget.ES2022, module: t.ModuleKind.ES2022, moduleResolution: t.ModuleResolutionKind.Bundler, skipLibCheck: true }
      : {};
  let configDiagnostics: readonly ts.Diagnostic[] = [];
  let parsed: ts.CompilerOptions = base;
  if (tsconfig !== undefined) {
    const unrecoverable: ts.Diagnostic[] = [];
    const config = t.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...t.sys, onUnRecoverableConfigFileDiagnostic: (d) => unrecoverable.push(d) });
    parsed = config?.options ?? base;
    configDiagnostics = [...unrecoverable, ...(config?.errors ?? [])];
  }
  // Check only: nothing is emitted, whatever the project's settings; siemc keeps its own state.
  const options: ts.CompilerOptions = {
    ...parsed,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    sourceMap: false,
    inlineSourceMap: false,
    incremental: false,
    tsBuildInfoFile: undefined,
  };
  return { options, configDiagnostics };
}

function toDiagnostic(t: TS, d: ts.Diagnostic): Diagnostic {
  const message = t.flattenDiagnosticMessageText(d.messageText, '\n');
  const code: DiagnosticCode = `SIEMC-TS${d.code}`;
  if (d.file === undefined || d.start === undefined) return { code, severity: 'error', message };
  const pos = t.getLineAndCharacterOfPosition(d.file, d.start);
  const line = pos.line + 1;
  const column = pos.character + 1;
  const file = d.file.fileName;
  const text = readOrUndefined(file);
  return {
    code,
    severity: 'error',
    message,
    location: { file, line, column },
    ...(text === undefined ? {} : { frame: codeFrame(text, line, column) }),
  };
}

/**
 * Proofs of plain test events a build's main thread makes while lifting them (./modules.ts),
 * on their way to the type check in a worker thread, which then blanks those files without
 * proving them again (1,000 rules: 0.4-0.5 s of the worker's time). Kept until the worker is
 * there, then posted in chunks; each text is hashed only then.
 */
export class ProofFeed {
  private pending: [string, string, readonly number[]][] = [];
  private post: ((proofs: [string, TestProof][]) => void) | undefined;
  private closed = false;
  /** Slot 0 turns 1 when the worker's check has ended (it sets it: this thread may not yield before). */
  private ended: Int32Array | undefined;

  readonly add: ProofListener = (file, text, ranges) => {
    if (this.closed) return;
    this.pending.push([file, text, ranges]);
    if (this.post !== undefined && this.pending.length >= 64) this.flush();
  };

  attach(post: (proofs: [string, TestProof][]) => void, ended?: Int32Array): void {
    this.post = post;
    this.ended = ended;
    this.flush();
  }

  /** True while a worker thread of this process is checking: it holds a core (and its memory) until then. */
  checkingHere(): boolean {
    return this.ended !== undefined && !this.closed && Atomics.load(this.ended, 0) === 0;
  }

  /** Posts what is pending (when attached). */
  flush(): void {
    if (this.post === undefined || this.pending.length === 0) return;
    const proofs = this.pending.map(([file, text, ranges]): [string, TestProof] => [file, { hash: hash(text), ranges }]);
    this.pending = [];
    this.post(proofs);
  }

  /** Nothing will read them (the check is done, or was done elsewhere). */
  close(): void {
    this.closed = true;
    this.pending = [];
  }
}

/**
 * Type-checks the rule files once in a worker thread, so a build can run its rules meanwhile.
 * The worker is this module's sibling (src/util/sibling-worker.ts).
 */
export async function checkInWorker(files: readonly string[], rulesDir: string, options: TypecheckerOptions = {}, feed?: ProofFeed): Promise<Diagnostic[]> {
  const result = await new Promise<Diagnostic[] | undefined>((resolvePromise, reject) => {
    const ended = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const worker = siblingWorker(import.meta.url, 'typecheck-worker', {
      workerData: { rulesDir, options, files, ended },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    feed?.attach((proofs) => worker.postMessage({ proofs }), new Int32Array(ended));
    worker.once('exit', () => feed?.close());
    worker.once('message', (m: { diagnostics?: Diagnostic[]; error?: string }) => {
      void worker.terminate();
      if (m.diagnostics !== undefined) resolvePromise(m.diagnostics);
      else reject(new Error(`type check failed: ${m.error ?? 'no result'}`));
    });
    // Out of memory (ERR_WORKER_OUT_OF_MEMORY) or any other end without a result: checked here instead.
    worker.once('error', () => resolvePromise(undefined));
    worker.once('exit', () => resolvePromise(undefined));
  });
  return result ?? createTypechecker(rulesDir, options).check(files);
}

/** Type-checks the rule files once (see createTypechecker for keeping a checker). */
export function typecheckRules(files: readonly string[], rulesDir: string, options: TypecheckerOptions = {}): Promise<Diagnostic[]> {
  return createTypechecker(rulesDir, options).check(files);
}
