/**
 * Problems found while rule modules run (an empty list, a malformed CIDR ...). Builders record
 * them instead of throwing, so one run reports every problem of every rule, each at the line
 * of the rule source that caused it.
 */
import type { SourceLocation } from '../model/location.js';

export type { SourceLocation } from '../model/location.js';

export interface RuleProblem {
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

// Kept on globalThis: the CLI and the rule modules it loads may hold different copies of this
// module (compiled dist/ and source src/), and both must see one list.
const SINK = Symbol.for('siemc.rule-problems');
const holder = globalThis as { [SINK]?: RuleProblem[] };
const pending: RuleProblem[] = (holder[SINK] ??= []);

export function reportProblem(code: string, message: string, location = callerLocation()): void {
  pending.push(location === undefined ? { code, message } : { code, message, location });
}

/** Returns and clears the problems recorded since the last call. */
export function drainProblems(): RuleProblem[] {
  return pending.splice(0, pending.length);
}

const ownDir = new URL('..', import.meta.url).href;

/** The first stack frame outside siemc's own sources: the rule line that called into the DSL. */
export function callerLocation(): SourceLocation | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const raw = m[1] as string;
    const url = raw.startsWith('file://') ? raw : `file://${raw}`;
    if (url.startsWith(ownDir) || url.includes('/node_modules/') || url.startsWith('node:')) continue;
    return { file: decodeURIComponent(url.slice('file://'.length)), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
