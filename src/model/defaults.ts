/**
 * What a rule's optional target metadata means when it is not given. Frontends other than the
 * DSL (Sigma has no risk score or schedule) leave these out; publishers and backends read them here.
 */
import type { Rule, Schedule, Severity } from './rule.js';

/** Elastic's risk scores per severity, as its prebuilt rules use them. */
export const RISK_BY_SEVERITY: Readonly<Record<Severity, number>> = { low: 21, medium: 47, high: 73, critical: 99 };
export const DEFAULT_SCHEDULE: Schedule = { interval: '5m', from: 'now-6m' };
export const DEFAULT_MAX_SIGNALS = 100;
export const DEFAULT_INDEX: readonly string[] = ['logs-*'];

export interface RuntimeMetadata {
  readonly riskScore: number;
  readonly schedule: Schedule;
  readonly maxSignals: number;
  readonly index: readonly string[];
}

/** The rule's own values where given, else the defaults above. */
export function runtimeMetadata(rule: Pick<Rule, 'severity' | 'riskScore' | 'schedule' | 'maxSignals' | 'index'>): RuntimeMetadata {
  return {
    riskScore: rule.riskScore ?? RISK_BY_SEVERITY[rule.severity],
    schedule: rule.schedule ?? DEFAULT_SCHEDULE,
    maxSignals: rule.maxSignals ?? DEFAULT_MAX_SIGNALS,
    index: rule.index ?? DEFAULT_INDEX,
  };
}
