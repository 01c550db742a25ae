/** What a backend is: a name, the snapshot file it writes, a capability table, and a compile function over normalised IR. */
import type { ApproximationCode } from '../codes.js';
import type { Diagnostic, Direction } from '../diagnostics.js';
import type { Node } from '../ir/nodes.js';
import type { Rule } from '../model/rule.js';
import type { CapabilityTable } from './capabilities.js';
import type { ProjectConfig } from '../config.js';

export interface Approximation {
  /** Stable code, e.g. SIEMC-A201. */
  readonly code: ApproximationCode;
  readonly message: string;
  /** The IR node whose rendering is approximate (names the clause in the diagnostic). */
  readonly node: Node;
  /**
   * Direction of the change for the node itself. The compiler flips it for nodes under an odd
   * number of `not`s, so the diagnostic states the effect on the rule's matches.
   */
  readonly direction: Direction;
}

export interface BackendContext {
  readonly rule: Rule;
  readonly config: ProjectConfig;
  /** Records that the output does not mean exactly what the IR means, and how. */
  approximate(a: Approximation): void;
}

export interface Backend {
  /** Target name used on the command line and in diagnostics. */
  readonly name: string;
  /** File name of the snapshot under snapshots/<rule-id>/. */
  readonly fileName: string;
  readonly title: string;
  /** How each IR construct is rendered: exact, approximate (and which way) or unsupported. */
  readonly capabilities: CapabilityTable;
  /** Renders the (normalised) query; the result ends with a newline. */
  compile(query: Node, context: BackendContext): string;
}

export type { Diagnostic };
