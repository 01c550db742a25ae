/**
 * The loaded-rule model: what every frontend produces (the TypeScript DSL, and importers of Sigma,
 * EQL and KQL rules) and what compile, backends and publishers read. It depends on the IR, never
 * on an authoring layer. Target-specific metadata is optional; src/model/defaults.ts says what a
 * missing value means.
 */
import type { Node } from '../ir/nodes.js';
import type { Json } from './event.js';
import type { SourceLocation } from './location.js';

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

export interface Schedule {
  readonly interval: Interval;
  readonly from: DateMath;
}

/** Where a rule came from: its source language, and where in its source it was defined. */
export interface Provenance {
  readonly kind: 'dsl' | 'sigma' | 'eql' | 'kql' | 'elastic';
  readonly location?: SourceLocation;
}

/**
 * Parameters of an Elastic detection rule that the query alone does not carry, kept as written
 * by the Elastic importer. Compiled outputs select the events the rule starts from: a `new_terms`
 * rule alerts only on the first appearance of its terms, a `threshold` rule only on groups of at
 * least `value` events, so its alerts are fewer than the output's hits.
 */
export interface ElasticRuleParameters {
  /** Elastic's rule type (`query`, `eql`, `new_terms`, `threshold`). */
  readonly type: 'query' | 'eql' | 'new_terms' | 'threshold';
  readonly language: 'kuery' | 'eql';
  /** The query text as written in the source rule. */
  readonly originalQuery: string;
  /** new_terms: the fields whose value combination must not have been seen since historyWindowStart. */
  readonly newTerms?: { readonly fields: readonly string[]; readonly historyWindowStart: string };
  /** threshold: group by `field`, alert when a group has at least `value` events (and distinct values). */
  readonly threshold?: {
    readonly field: readonly string[];
    readonly value: number;
    readonly cardinality?: readonly { readonly field: string; readonly value: number }[];
  };
  /** The field read as the event time instead of @timestamp. */
  readonly timestampOverride?: string;
  /** EQL: the field the event category is read from instead of event.category. */
  readonly eventCategoryOverride?: string;
  /** `default` for building-block rules, whose alerts are hidden by default. */
  readonly buildingBlockType?: string;
}

/** What describes a rule, apart from its query and tests. */
export interface RuleMetadata {
  /** A UUID; it names the output folder and the published rule. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly author: readonly string[];
  readonly license: string;
  readonly severity: Severity;
  /** 0 to 100; default from the severity (src/model/defaults.ts). */
  readonly riskScore?: number;
  /** How often the rule runs and how far back it looks; default every 5 minutes over the last 6. */
  readonly schedule?: Schedule;
  /** Most alerts per run; default 100. */
  readonly maxSignals?: number;
  /** Elasticsearch index patterns the rule searches; default `logs-*`. */
  readonly index?: readonly string[];
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
  /** The language of the published Kibana rule; default `eql`, or the language an imported rule was written in. */
  readonly language?: KibanaLanguage;
  /** Elastic-only rule parameters, from src/import/elastic.ts or a rule's `elastic` (RuleSpec); usually absent for rules written in siemc. */
  readonly elastic?: ElasticRuleParameters;
  readonly version: number;
  /** When the rule was first written, and last changed in meaning (Sigma `date` / `modified`). */
  readonly created?: IsoDate;
  readonly updated?: IsoDate;
}

/** A loaded rule: its metadata, its IR, its test events, and where it came from. */
export interface Rule extends RuleMetadata {
  readonly kind: 'siemc.rule';
  readonly query: Node;
  readonly tests: readonly RuleTest[];
  readonly provenance?: Provenance;
  /** Where the rule was defined (the same as provenance.location). */
  readonly location?: SourceLocation;
}

export function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'siemc.rule';
}
