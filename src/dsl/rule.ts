/** Rule definitions: typed metadata, the query, and the test events that pin its meaning. */
import { readFileSync } from 'node:fs';
import type { Node } from '../ir/nodes.js';
import type { Json } from '../eval/values.js';
import type { Condition } from './condition.js';
import { callerLocation, type SourceLocation } from './problems.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Interval = `${number}${'s' | 'm' | 'h' | 'd'}`;
/** Date math for the look-back start, e.g. `now-9m`. */
export type DateMath = `now-${number}${'s' | 'm' | 'h' | 'd'}`;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = `${number}-${number}-${number}`;
/**
 * How far a rule is along, in Sigma's words: `experimental` (new, untested in production; the
 * default), `test` (being tried), `stable` (in production use), `deprecated`, `unsupported`.
 * Published as Sigma's `status` and detection-rules' `maturity` (src/publish/rule-values.ts).
 */
export type RuleStatus = 'experimental' | 'test' | 'stable' | 'deprecated' | 'unsupported';
/** The query language of the rule's Kibana detection rule: EQL (an `eql` rule) or KQL (a `query` rule in `kuery`). */
export type KibanaLanguage = 'eql' | 'kql';

export interface MitreSubtechnique { readonly id: `T${number}.${number}`; readonly name: string }
export interface MitreTechnique {
  readonly id: `T${number}`;
  readonly name: string;
  readonly subtechniques?: readonly MitreSubtechnique[];
}
export interface MitreTactic {
  readonly tactic: { readonly id: `TA${number}`; readonly name: string };
  readonly techniques: readonly MitreTechnique[];
}

/** A test event and the verdict the rule must give it. */
export interface RuleTest {
  readonly name: string;
  readonly expect: 'match' | 'no match';
  readonly event: Json;
}

export interface RuleSpec {
  /** A UUID; it names the snapshot folder and the published rule. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly author: readonly string[];
  readonly license: string;
  readonly severity: Severity;
  /** 0 to 100. */
  readonly riskScore: number;
  readonly schedule: { readonly interval: Interval; readonly from: DateMath };
  readonly maxSignals: number;
  readonly index: readonly string[];
  readonly tags: readonly string[];
  readonly mitre: readonly MitreTactic[];
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  /** Investigation guide, Markdown. */
  readonly note?: string;
  /** Setup guide, Markdown: what the rule needs (integrations, logging) before it works. */
  readonly setup?: string;
  /** Default `experimental` (see RuleStatus). */
  readonly status?: RuleStatus;
  /** The language of the published Kibana rule; default `eql`. */
  readonly language?: KibanaLanguage;
  readonly version: number;
  /** When the rule was first written, and last changed in meaning (Sigma `date` / `modified`). */
  readonly created?: IsoDate;
  readonly updated?: IsoDate;
  readonly query: Condition;
  readonly tests: readonly RuleTest[];
}

/** A loaded rule: its metadata, its IR and where it was defined. */
export interface Rule extends Omit<RuleSpec, 'query'> {
  readonly kind: 'siemc.rule';
  readonly query: Node;
  readonly location?: SourceLocation;
}

export function defineRule(spec: RuleSpec): Rule {
  const location = callerLocation();
  return Object.freeze({
    ...spec,
    kind: 'siemc.rule',
    query: spec.query.node,
    ...(location === undefined ? {} : { location }),
  });
}

export function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'siemc.rule';
}

/** Reads a Markdown file that sits next to the rule module (`markdown(import.meta.url, './guide.md')`). */
export function markdown(moduleUrl: string, relativePath: string): string {
  return readFileSync(new URL(relativePath, moduleUrl), 'utf8');
}
