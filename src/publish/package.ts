/** The text files `siemc publish` writes, without a lock (every rule at its own version): for tests and library use. */
import type { CompileOptions } from '../compile.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { publishRules } from './publish.js';

export function packageRules(rules: readonly Rule[], options: CompileOptions = {}): { files: ReadonlyMap<string, string>; diagnostics: readonly Diagnostic[] } {
  const { files, diagnostics } = publishRules(rules, { config: options.config ?? {}, ...(options.strict === undefined ? {} : { strict: options.strict }) });
  return { files, diagnostics };
}
