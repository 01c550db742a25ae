/** Compiles loaded rules into target outputs, collecting every diagnostic. */
import type { Backend } from './backends/backend.js';
import type { Diagnostic, Direction } from './diagnostics.js';
import type { Rule } from './model/rule.js';
import { visit } from './ir/fold.js';
import { describeNode, type Node } from './ir/nodes.js';
import { normalize } from './ir/normalize.js';
import { originOf } from './ir/origins.js';
import type { SourceLocation } from './model/location.js';
import { acceptance, type ProjectConfig } from './config.js';

export interface CompileOptions {
  /** Approximations become errors. */
  readonly strict?: boolean;
  readonly config?: ProjectConfig;
}

export interface TargetOutput {
  readonly rule: Rule;
  readonly backend: Backend;
  readonly text: string;
}

export interface CompileResult {
  readonly outputs: readonly TargetOutput[];
  readonly diagnostics: readonly Diagnostic[];
}

interface Place {
  readonly clause: string;
  /** Whether an odd number of `not`s is above the node; both when one node object sits in two places. */
  readonly polarities: Set<boolean>;
}

/** Where each node sits: a readable path, and its polarity. */
function places(root: Node): Map<Node, Place> {
  const out = new Map<Node, Place>();
  visit(root, { path: [] as readonly string[], negated: false }, (node, { path, negated }) => {
    const here = [...path, describeNode(node)];
    const known = out.get(node);
    if (known === undefined) out.set(node, { clause: here.join(' > '), polarities: new Set([negated]) });
    else known.polarities.add(negated);
    return { path: here, negated: node.kind === 'not' ? !negated : negated };
  });
  return out;
}

/** A node's local direction, seen from the rule: flipped under `not`, unknown when it sits both ways. */
function effect(direction: Direction, place: Place | undefined): Direction {
  if (place === undefined || direction === 'not expressible') return direction;
  if (place.polarities.size > 1) return 'not expressible';
  if (!place.polarities.has(true)) return direction;
  return direction === 'widened' ? 'narrowed' : 'widened';
}

export function compileRules(rules: readonly Rule[], targets: readonly Backend[], options: CompileOptions = {}): CompileResult {
  const outputs: TargetOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const query = normalize(rule.query);
    const where = places(query);
    for (const backend of targets) {
      const seen = new Set<string>();
      const text = backend.compile(query, {
        rule,
        config: options.config ?? {},
        approximate: ({ node, direction, ...a }) => {
          const place = where.get(node);
          const accepted = acceptance(options.config ?? {}, { code: a.code, target: backend.name, rule: rule.id });
          const d: Diagnostic = {
            ...a,
            severity: options.strict === true && accepted === undefined ? 'error' : 'warning',
            rule: rule.id,
            target: backend.name,
            clause: place?.clause ?? describeNode(node),
            direction: effect(direction, place),
            ...locationOf(node, rule),
            ...(accepted === undefined ? {} : { accepted }),
          };
          const key = JSON.stringify([d.code, d.clause, d.message]);
          if (!seen.has(key)) diagnostics.push(d);
          seen.add(key);
        },
      });
      outputs.push({ rule, backend, text });
    }
  }
  return { outputs, diagnostics };
}

/** The clause's own line in the rule source when known, else the rule's. */
function locationOf(node: Node, rule: Rule): { location?: SourceLocation } {
  const at = originOf(node) ?? rule.location;
  return at === undefined ? {} : { location: at };
}

/** Where a rule's output for a target lives under the output folder. */
export function outputPath(output: Pick<TargetOutput, 'rule' | 'backend'>): string {
  return `${output.rule.id}/${output.backend.fileName}`;
}
