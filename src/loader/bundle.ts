/**
 * The fallback loader (./modules.ts is the default): every rule module in one esbuild bundle,
 * for rules importing what only a bundler resolves (an ESM-only package, a tsconfig path alias).
 *
 * - The bundle is CommonJS, so that each module is a lazily run `init` function: the entry
 *   requires rule files one at a time, and a module that throws is reported by name while the
 *   others still load. Shared modules run once, whichever rule needs them first.
 * - `siemc` is external and resolves to the copy of siemc running the loader (whether that is
 *   src/ under vitest, dist/ from the CLI, or node_modules/siemc in a user's repository), so
 *   rules and the CLI share one DSL, one problem list and one rule registry.
 * - `import.meta` is each module's own (its source file URL), so `markdown(import.meta.url, ...)`
 *   reads the file next to the rule.
 * - Stack positions in the bundle map back to the TypeScript sources through esbuild's source
 *   map (registered with the DSL's callerLocation), so problems keep their file:line:col.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { build, type BuildFailure, type Message, type Plugin } from 'esbuild';
import type { SourceLocation } from '../dsl/problems.js';
import { LazySourceMap } from './source-map.js';

/** The identifier esbuild writes for `import.meta`; each module declares its own. */
const META = '__siemc_import_meta';

export interface BundleError {
  readonly message: string;
  readonly location?: SourceLocation;
}

export interface Bundle {
  /** The bundle's file name in stack traces (it is not written to disk). */
  readonly file: string;
  readonly code: string;
  /** Maps a 1-based position in the bundle to the source position; undefined inside esbuild's helpers. */
  readonly map: (line: number, column: number) => SourceLocation | undefined;
}

/** Every module's prefix declaring its `import.meta`, per file: its length is subtracted from line 1 columns. */
type Prefixes = Map<string, number>;

/** Resolves `siemc` to the running copy, and gives each module its own `import.meta`. */
function rulesPlugin(prefixes: Prefixes): Plugin {
  return {
    name: 'siemc-rules',
    setup(b) {
      b.onResolve({ filter: /^siemc$/ }, () => ({ path: 'siemc', external: true }));
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const ext = extname(args.path);
        const loader = ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : /^\.[cm]?ts$/.test(ext) ? 'ts' : 'js';
        if (!source.includes('import.meta')) return { contents: source, loader };
        // On line 1, before the module's own text, so no line moves.
        const meta = { url: pathToFileURL(args.path).href, filename: args.path, dirname: dirname(args.path) };
        const prefix = `const ${META} = ${JSON.stringify(meta)};`;
        prefixes.set(args.path, prefix.length);
        return { contents: prefix + source, loader };
      });
    },
  };
}

/** The entry: a list of [file, thunk that runs the module and returns its exports]. */
function entrySource(files: readonly string[]): string {
  const items = files.map((f) => `  [${JSON.stringify(f)}, () => require(${JSON.stringify(f)})]`);
  return `module.exports = [\n${items.join(',\n')}\n];\n`;
}

function messageLocation(m: Message, cwd: string): SourceLocation | undefined {
  if (m.location === null) return undefined;
  return { file: resolve(cwd, m.location.file), line: m.location.line, column: m.location.column + 1 };
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);
}

/**
 * Bundles the rule files. `bundleFile` names the bundle in stack traces; it should be unique per
 * load (positions are mapped by file name) and outside siemc's own folders.
 */
export async function bundleRules(files: readonly string[], rootDir: string, bundleFile: string): Promise<Bundle | BundleError[]> {
  const prefixes: Prefixes = new Map();
  let result;
  try {
    result = await build({
      stdin: { contents: entrySource(files), resolveDir: rootDir, sourcefile: '<siemc rule entry>', loader: 'js' },
      absWorkingDir: rootDir,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'external',
      sourcesContent: false,
      outfile: bundleFile,
      define: { 'import.meta': META },
      plugins: [rulesPlugin(prefixes)],
      logLevel: 'silent',
      logLimit: 0,
    });
  } catch (e) {
    if (!isBuildFailure(e)) throw e;
    return e.errors.map((m) => {
      const location = messageLocation(m, rootDir);
      const where = m.location === null ? 'the rules' : resolve(rootDir, m.location.file);
      return { message: `${where} failed to load: ${m.text}`, ...(location === undefined ? {} : { location }) };
    });
  }
  const code = result.outputFiles.find((f) => f.path === bundleFile)?.text;
  const mapText = result.outputFiles.find((f) => f.path === `${bundleFile}.map`)?.text;
  if (code === undefined || mapText === undefined) throw new Error('esbuild wrote no bundle');
  const payload = JSON.parse(mapText) as { sources: string[]; mappings: string };
  const sourceMap = new LazySourceMap(payload.mappings);
  const base = dirname(bundleFile);
  const sources = payload.sources.map((s) => (s.startsWith('<') ? undefined : resolve(base, s)));
  const map = (line: number, column: number): SourceLocation | undefined => {
    const entry = sourceMap.find(line - 1, column - 1);
    const file = entry === undefined ? undefined : sources[entry.source];
    if (entry === undefined || file === undefined) return undefined;
    const prefix = entry.line === 0 ? (prefixes.get(file) ?? 0) : 0;
    return { file, line: entry.line + 1, column: Math.max(1, entry.column + 1 - prefix) };
  };
  return { file: bundleFile, code, map };
}

/** One module of the bundle: its file, and a function that runs it (once) and returns its exports. */
export interface BundledModule {
  readonly file: string;
  readonly load: () => Record<string, unknown>;
}

/**
 * Runs the bundle's top level (which defines the modules but runs none) with `siemc` bound to
 * `siemcModule`. Node built-ins are required from the project root.
 */
export function instantiateBundle(bundle: Bundle, siemcModule: object, rootDir: string): BundledModule[] {
  const nodeRequire = createRequire(join(rootDir, 'siemc-rules.cjs'));
  const requireShim = (id: string): unknown => (id === 'siemc' ? siemcModule : nodeRequire(id));
  const run = compileFunction(bundle.code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: bundle.file });
  const module = { exports: {} as unknown };
  run(module.exports, requireShim, module, bundle.file, dirname(bundle.file));
  const entries = module.exports as [string, () => Record<string, unknown>][];
  return entries.map(([file, load]) => ({ file, load }));
}
