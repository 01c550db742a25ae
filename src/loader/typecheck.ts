/**
 * Type-checks rule sources with the TypeScript compiler before anything runs: a misspelt ECS
 * field or a number compared with a keyword stops the build at its line.
 *
 * One program per run, incremental: TypeScript's build info (in the project's .siemc/cache)
 * lets a run after an edit re-check only the files that depend on what changed, and when no
 * input changed at all the previous run's diagnostics are returned without starting
 * TypeScript. In watch mode the checker also keeps the parsed files between runs.
 * Plain-data test events are blanked before checking (./test-data.ts); they cannot fail.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type ts from 'typescript';
import { codeFrame, type Diagnostic } from '../diagnostics.js';
import { readCacheJson, writeCacheJson, writeCacheText } from '../cache/store.js';
import { siemcVersion } from '../cache/version.js';
import { blankPlainTests } from './test-data.js';

type TS = typeof ts;

export function findTsconfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The last run's inputs and result, for the run where nothing changed. */
interface CheckState {
  readonly format: string;
  readonly key: string;
  /** Every file the program read (rules, siemc's types, TypeScript's libs), by content hash. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly diagnostics: readonly Diagnostic[];
}

const STATE_FORMAT = 'siemc-typecheck-state/1';

function typescriptVersion(): string {
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

export interface TypecheckerOptions {
  /** Where to keep TypeScript's build info and the last run's state; none: no cache. */
  readonly stateDir?: string;
}

export interface Typechecker {
  /** All type errors of the rule files, each with file:line:col and a code frame. */
  check(files: readonly string[]): Promise<Diagnostic[]>;
}

/** A checker for one rules folder; keep it between runs (watch mode) to reuse parsed files. */
export function createTypechecker(rulesDir: string, options: TypecheckerOptions = {}): Typechecker {
  const tsconfig = findTsconfig(rulesDir);
  const statePath = options.stateDir === undefined ? undefined : join(options.stateDir, 'typecheck.json');
  const sourceCache = new Map<string, { readonly version: string; readonly file: ts.SourceFile }>();
  let previous: ts.EmitAndSemanticDiagnosticsBuilderProgram | undefined;
  let tsModule: TS | undefined;

  const keyOf = (files: readonly string[]): string =>
    hash(JSON.stringify([STATE_FORMAT, siemcVersion(), typescriptVersion(), tsconfig ?? null, tsconfig === undefined ? null : readOrUndefined(tsconfig), files]));

  /** The previous diagnostics when the same files, with the same contents, are checked again. */
  const unchanged = (key: string): readonly Diagnostic[] | undefined => {
    if (statePath === undefined) return undefined;
    const state = readCacheJson<CheckState>(statePath, STATE_FORMAT);
    if (state === undefined || state.key !== key) return undefined;
    for (const [file, version] of Object.entries(state.inputs)) {
      const text = readOrUndefined(file);
      if (text === undefined || hash(text) !== version) return undefined;
    }
    return state.diagnostics;
  };

  return {
    async check(files) {
      const key = keyOf(files);
      const cached = unchanged(key);
      if (cached !== undefined) return [...cached];
      tsModule ??= (await import('typescript')).default;
      const t = tsModule;
      const { options: compilerOptions, configDiagnostics } = compilerOptionsFor(t, tsconfig, options.stateDir);
      const inputs: Record<string, string> = {};
      const host = t.createIncrementalCompilerHost(compilerOptions, t.sys);
      host.getSourceFile = (fileName, languageVersion) => {
        const text = readOrUndefined(fileName);
        if (text === undefined) return undefined;
        const version = hash(text);
        inputs[fileName] = version;
        const known = sourceCache.get(fileName);
        if (known !== undefined && known.version === version) return known.file;
        const checked = /\.m?ts$/.test(fileName) && !fileName.endsWith('.d.ts') && !fileName.includes('/node_modules/') ? blankPlainTests(text) : text;
        const file = t.createSourceFile(fileName, checked, languageVersion);
        // The builder compares versions to find what changed since the build info was written.
        (file as ts.SourceFile & { version: string }).version = version;
        sourceCache.set(fileName, { version, file });
        return file;
      };
      host.writeFile = (fileName, text) => writeCacheText(fileName, text);
      const old = previous ?? (options.stateDir === undefined ? undefined : t.readBuilderProgram(compilerOptions, host));
      const builder = t.createEmitAndSemanticDiagnosticsBuilderProgram([...files], compilerOptions, host, old, configDiagnostics);
      const found = [
        ...configDiagnostics,
        ...builder.getOptionsDiagnostics(),
        ...builder.getGlobalDiagnostics(),
        ...builder.getSyntacticDiagnostics(),
        ...builder.getSemanticDiagnostics(),
      ];
      // With noEmit this writes only the build info.
      if (options.stateDir !== undefined) builder.emit();
      previous = builder;
      const diagnostics = found.map((d) => toDiagnostic(t, d));
      const state: CheckState = { format: STATE_FORMAT, key, inputs, diagnostics };
      if (statePath !== undefined) writeCacheJson(statePath, state);
      return diagnostics;
    },
  };
}

function compilerOptionsFor(t: TS, tsconfig: string | undefined, stateDir: string | undefined): { options: ts.CompilerOptions; configDiagnostics: readonly ts.Diagnostic[] } {
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
  // Check only: nothing is emitted but the build info, whatever the project's settings.
  const options: ts.CompilerOptions = { ...parsed, noEmit: true, composite: false, declaration: false, declarationMap: false, emitDeclarationOnly: false, sourceMap: false, inlineSourceMap: false };
  if (stateDir !== undefined) Object.assign(options, { incremental: true, tsBuildInfoFile: join(stateDir, 'tsbuildinfo.json') });
  else Object.assign(options, { incremental: false, tsBuildInfoFile: undefined });
  return { options, configDiagnostics };
}

function toDiagnostic(t: TS, d: ts.Diagnostic): Diagnostic {
  const message = t.flattenDiagnosticMessageText(d.messageText, '\n');
  const code = `SIEMC-TS${d.code}`;
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

/** Type-checks the rule files once (see createTypechecker for keeping a checker). */
export function typecheckRules(files: readonly string[], rulesDir: string, options: TypecheckerOptions = {}): Promise<Diagnostic[]> {
  return createTypechecker(rulesDir, options).check(files);
}
