/**
 * Problems found while rule modules run (an empty list, a malformed CIDR ...). Builders record
 * them instead of throwing, so one run reports every problem of every rule, each at the line
 * of the rule source that caused it.
 */
import type { SourceLocation } from '../model/location.js';
import type { DiagnosticCode } from '../codes.js';

export type { SourceLocation } from '../model/location.js';

export interface RuleProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location?: SourceLocation;
}

// Kept on globalThis: the CLI and the rule modules it loads may hold different copies of this
// module (compiled dist/ and source src/), and both must see one list.
const SINK = Symbol.for('siemc.rule-problems');
const holder = globalThis as { [SINK]?: RuleProblem[] };
const pending: RuleProblem[] = (holder[SINK] ??= []);

export function reportProblem(code: DiagnosticCode, message: string, location = callerLocation()): void {
  pending.push(location === undefined ? { code, message } : { code, message, location });
}

/** Returns and clears the problems recorded since the last call. */
export function drainProblems(): RuleProblem[] {
  return pending.splice(0, pending.length);
}

// siemc's own code: the folder this module runs from, and its sibling, because with source maps
// enabled (NODE_OPTIONS=--enable-source-maps) frames of dist/*.js show as src/*.ts.
const packageDir = decodeURIComponent(new URL('../..', import.meta.url).pathname);
const ownDirs = [`${packageDir}src/`, `${packageDir}dist/`, decodeURIComponent(new URL('..', import.meta.url).pathname)];

/**
 * Maps a position in generated code back to the source that produced it, or undefined for the
 * generated file's own helpers. The loader registers one for the bundle it runs rule modules
 * from (src/loader/bundle.ts), so problems point into the TypeScript sources, not the bundle.
 */
export type PositionMapper = (line: number, column: number) => SourceLocation | undefined;

// On globalThis for the same reason as the problem list: one registry for every copy of this module.
const MAPPERS = Symbol.for('siemc.position-mappers');
const mapperHolder = globalThis as { [MAPPERS]?: Map<string, PositionMapper> };
const mappers: Map<string, PositionMapper> = (mapperHolder[MAPPERS] ??= new Map());

/** Registers how to map stack positions in the generated `file`; returns the function that removes it. */
export function registerGeneratedFile(file: string, mapper: PositionMapper): () => void {
  mappers.set(file, mapper);
  return () => {
    if (mappers.get(file) === mapper) mappers.delete(file);
  };
}

/** A stack position, mapped through a registered generated file; undefined for generated helpers. */
function sourcePosition(file: string, line: number, column: number): SourceLocation | undefined {
  const mapper = mappers.get(file);
  return mapper === undefined ? { file, line, column } : mapper(line, column);
}

/**
 * The first stack frame outside siemc's own sources: the rule line that called into the DSL.
 * Read from V8's call sites, not from a formatted stack: every condition of every rule asks,
 * and formatting and parsing the text was a tenth of a build that compiles nothing.
 */
export function callerLocation(): SourceLocation | undefined {
  const saved = Error.prepareStackTrace;
  let sites: readonly NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callerLocation);
    if (Array.isArray(holder.stack)) sites = holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = saved;
  }
  for (const site of sites) {
    const raw = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (raw === undefined || raw === null || line === null || column === null || !(raw.startsWith('/') || raw.startsWith('file:///'))) continue;
    const at = sourcePosition(raw.startsWith('file://') ? decodeURIComponent(raw.slice('file://'.length)) : raw, line, column);
    if (at === undefined) continue;
    if (ownDirs.some((d) => at.file.startsWith(d)) || at.file.includes('/node_modules/')) continue;
    return at;
  }
  return undefined;
}

/** The first frame of a stack (after `skip` lines) in a rule source, mapped through generated files. */
export function locationInStack(stack: string, skip = 0): SourceLocation | undefined {
  for (const line of stack.split('\n').slice(skip)) {
    const m = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const raw = m[1] as string;
    const at = sourcePosition(raw.startsWith('file://') ? decodeURIComponent(raw.slice('file://'.length)) : raw, Number(m[2]), Number(m[3]));
    if (at === undefined) continue;
    if (ownDirs.some((d) => at.file.startsWith(d)) || at.file.includes('/node_modules/')) continue;
    return at;
  }
  return undefined;
}
