/** Compiles loaded rules into target outputs, collecting every diagnostic. */
import type { Backend } from './backends/backend.js';
import type { Diagnostic } from './diagnostics.js';
import type { Rule } from './dsl/rule.js';
import { normalize } from './ir/normalize.js';

export interface CompileOptions {
  /** Approximations become errors. */
  readonly strict?: boolean;
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

export function compileRules(rules: readonly Rule[], targets: readonly Backend[], options: CompileOptions = {}): CompileResult {
  const outputs: TargetOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const query = normalize(rule.query);
    for (const backend of targets) {
      const text = backend.compile(query, {
        rule,
        approximate: (a) =>
          diagnostics.push({
            ...a,
            severity: options.strict === true ? 'error' : 'warning',
            rule: rule.id,
            target: backend.name,
            ...(rule.location === undefined ? {} : { location: rule.location }),
          }),
      });
      outputs.push({ rule, backend, text });
    }
  }
  return { outputs, diagnostics };
}

/** Where a rule's output for a target lives under the output folder. */
export function outputPath(output: Pick<TargetOutput, 'rule' | 'backend'>): string {
  return `${output.rule.id}/${output.backend.fileName}`;
}
