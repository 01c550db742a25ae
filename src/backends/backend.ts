/** What a backend is: a name, the snapshot file it writes, and a compile function over normalised IR. */
import type { Diagnostic, Direction } from '../diagnostics.js';
import type { Node } from '../ir/nodes.js';
import type { Rule } from '../dsl/rule.js';

export interface Approximation {
  readonly code: string;
  readonly message: string;
  readonly clause: string;
  readonly direction: Direction;
}

export interface BackendContext {
  readonly rule: Rule;
  /** Records that the output does not mean exactly what the IR means, and how. */
  approximate(a: Approximation): void;
}

export interface Backend {
  /** Target name used on the command line and in diagnostics. */
  readonly name: string;
  /** File name of the snapshot under snapshots/<rule-id>/. */
  readonly fileName: string;
  readonly title: string;
  /** Renders the (normalised) query; the result ends with a newline. */
  compile(query: Node, context: BackendContext): string;
}

export type { Diagnostic };
