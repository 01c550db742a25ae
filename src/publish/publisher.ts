/**
 * What a publisher is: one package format a SIEM imports (Kibana's rule NDJSON, a detection-rules
 * TOML tree, a Splunk app, Sigma files). A publisher reads compiled queries and rule metadata and
 * returns files; versions, hashes, the lock and writing are src/publish/publish.ts's business.
 */
import type { Backend } from '../backends/backend.js';
import type { ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';

/** One rule as a publisher sees it: the rule, the version to publish it under, and its compiled queries. */
export interface PublishedRule {
  readonly rule: Rule;
  readonly version: number;
  /** The compiled query for one of the backends the publisher asked for (`backendsFor`). */
  query(backend: Backend): string;
}

export interface PublishContext {
  readonly config: ProjectConfig;
  /** The package's own version, for formats that version the package as a whole (a Splunk app). */
  readonly packageVersion: number;
  /** Records a problem with a rule's metadata for this format (a missing date, a clashing name). */
  report(diagnostic: Omit<Diagnostic, 'target'>): void;
}

export interface Publisher {
  /** The `--target` name, the folder under the output folder and the key in the lock. */
  readonly name: string;
  readonly title: string;
  /** Whether the lock versions the package as a whole (bumped when any of its files change). */
  readonly versionedPackage: boolean;
  /** The project settings the backends are compiled with for this format (default: as configured). */
  compileConfig?(config: ProjectConfig): ProjectConfig;
  /** The backends whose output this format embeds for a rule. */
  backendsFor(rule: Rule): readonly Backend[];
  /** The text files, by path under `<out>/<name>/`, for these rules (in the order given). */
  render(rules: readonly PublishedRule[], context: PublishContext): ReadonlyMap<string, string>;
  /** Binary files made from the rendered text files (a Splunk app's .tgz), by path under `<out>/<name>/`. */
  archives?(files: ReadonlyMap<string, string>, rules: readonly PublishedRule[], context: PublishContext): ReadonlyMap<string, Uint8Array>;
}
