/** Rule definitions in the TypeScript DSL: typed metadata, the query, and the test events that pin its meaning. */
import { readFileSync } from 'node:fs';
import { and } from '../ir/nodes.js';
import type { ElasticRuleParameters, Rule, RuleMetadata, RuleTest, Schedule } from '../model/rule.js';
import { isCondition, type Condition } from './condition.js';
import { callerLocation, reportProblem } from './problems.js';

export type { DateMath, ElasticRuleParameters, Interval, IsoDate, KibanaLanguage, MitreSubtechnique, MitreTactic, MitreTechnique, Rule, RuleStatus, RuleTest, Severity } from '../model/rule.js';
export { isRule } from '../model/rule.js';

/**
 * What a rule author writes: the model's metadata, with Elastic's run-time metadata asked for
 * explicitly (other frontends may leave it out), and the query as a DSL condition.
 */
export interface RuleSpec extends Omit<RuleMetadata, 'riskScore' | 'schedule' | 'maxSignals' | 'index' | 'elastic'> {
  /** 0 to 100. */
  readonly riskScore: number;
  readonly schedule: Schedule;
  readonly maxSignals: number;
  readonly index: readonly string[];
  /**
   * Elastic rule parameters the query alone does not carry, as `siemc import elastic` keeps them
   * (src/model/rule.ts, ElasticRuleParameters): the rule type, and for a `threshold` rule
   * `threshold: { field, value, cardinality }`, for a `new_terms` rule
   * `newTerms: { fields, historyWindowStart }`. Kibana and detection-rules publish the rule as
   * that type; the other targets get the query alone (SIEMC-P006). Optional: without it the
   * rule alerts on every event its query matches. Checked at load (SIEMC-R046).
   */
  readonly elastic?: ElasticRuleParameters;
  readonly query: Condition;
  readonly tests: readonly RuleTest[];
}

export function defineRule(spec: RuleSpec): Rule {
  const location = callerLocation();
  // A plain-JavaScript rule may pass no query or something else; the metadata is checked after loading (src/loader/validate.ts).
  if (!isCondition(spec.query)) reportProblem('SIEMC-R019', 'the rule\'s query must be a condition built with field(...), all(...), any(...) or not(...)', location);
  return Object.freeze({
    ...spec,
    kind: 'siemc.rule',
    query: isCondition(spec.query) ? spec.query.node : and([]),
    provenance: location === undefined ? { kind: 'dsl' as const } : { kind: 'dsl' as const, location },
    ...(location === undefined ? {} : { location }),
  });
}

// Files rules read through siemc, so a build can tell they are inputs (on globalThis, as the
// problem list: the CLI and the rules may hold different copies of this module).
const READS = Symbol.for('siemc.files-read');
const readsHolder = globalThis as { [READS]?: Set<string> };
const filesRead: Set<string> = (readsHolder[READS] ??= new Set());

/** Returns and clears the files read with markdown() since the last call. */
export function drainFilesRead(): string[] {
  const out = [...filesRead];
  filesRead.clear();
  return out;
}

/** Reads a Markdown file that sits next to the rule module (`markdown(import.meta.url, './guide.md')`). */
export function markdown(moduleUrl: string, relativePath: string): string {
  const url = new URL(relativePath, moduleUrl);
  if (url.protocol === 'file:') filesRead.add(decodeURIComponent(url.pathname));
  return readFileSync(url, 'utf8');
}
