/**
 * Importers turn rules a team already owns (Sigma YAML, Elastic detection-rules TOML) into the
 * rule model. Each is one module with this shape, registered in src/import/registry.ts; the
 * `siemc import` command drives them all the same way (files, coverage summary, compiling into
 * the snapshot layout, `--emit ts`).
 */
import type { ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';

export interface ImportResult {
  readonly rules: readonly Rule[];
  /**
   * Problems, each naming the file (location file:line:col where known) and, when it has one, the
   * rule. Severity `error`: that rule (or file) was not imported; `warning`: imported, with a loss
   * stated in the message. Codes: SIEMC-I1xx Sigma, SIEMC-I2xx Elastic.
   */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Importer {
  /** The word after `siemc import`. */
  readonly name: string;
  readonly title: string;
  /** Whether a file found under a folder is one this importer reads (by name). */
  accepts(path: string): boolean;
  /** One source file's rules. Never throws for bad input: every problem is a diagnostic. */
  importFile(path: string, text: string): ImportResult;
  /** The same importer reading the project's settings (e.g. `fields`: types of non-ECS fields), when it uses any. */
  configure?(config: ProjectConfig): Importer;
}
