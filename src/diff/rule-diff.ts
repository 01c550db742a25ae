/**
 * Compares two sets of loaded rules (a base commit's and the working tree's) rule by rule, by id:
 * added, removed, changed or unchanged; for a changed rule its metadata changes, its logic changes
 * in the author's terms, the proved relation between the two queries with witness events, and the
 * per-target output diffs. Pure apart from the clock: the CLI loads, this compares, renderers print.
 */
import type { Backend } from '../backends/backend.js';
import { compileRules } from '../compile.js';
import type { ProjectConfig } from '../config.js';
import type { SourceLocation } from '../model/location.js';
import type { Rule } from '../model/rule.js';
import type { Json } from '../model/event.js';
import { normalize } from '../ir/normalize.js';
import { lineDiff } from '../output/line-diff.js';
import { compareQueries, type CompareOptions, type Inclusion, type Relation } from '../semantic/compare.js';
import { logicChanges, meaningKey, nodeKey, sameUpToOrder, type LogicChange } from './logic.js';
import { metadataChanges, type MetadataChange } from './metadata.js';

export type RuleStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** How the change reads in the summary table. */
export type ChangeKind = 'added' | 'removed' | 'metadata only' | 'logic' | 'logic and metadata' | 'equivalent rewrite' | 'unchanged';

export interface Semantics {
  readonly relation: Relation;
  /** True when the relation is a proof; `equivalent` is only ever reported proved. */
  readonly proved: boolean;
  /** Every event the old version matched is still matched. */
  readonly beforeInAfter: Inclusion;
  /** Every event the new version matches was matched before. */
  readonly afterInBefore: Inclusion;
  /** How it was settled: `identical query`, `same clauses in another order`, or the comparison. */
  readonly how: 'identical' | 'reordered' | 'compared';
  /** Events only the old version matches (confirmed by the evaluator). */
  readonly onlyBefore: readonly Json[];
  /** Events only the new version matches (confirmed by the evaluator). */
  readonly onlyAfter: readonly Json[];
  readonly note?: string;
  readonly millis: number;
}

export interface TargetDiff {
  readonly target: string;
  readonly file: string;
  /** Unified-style line diff: `-` base, `+` working tree. */
  readonly diff: string;
}

export interface RuleDiff {
  readonly id: string;
  /** The new name, or the old one for a removed rule. */
  readonly name: string;
  readonly status: RuleStatus;
  readonly change: ChangeKind;
  /** The rule's source file relative to the repository root (the old one for a removed rule). */
  readonly file?: string;
  readonly metadata: readonly MetadataChange[];
  readonly logic: readonly LogicChange[];
  /** For changed and unchanged rules. */
  readonly semantics?: Semantics;
  /** Targets whose output differs (for added and removed rules: every target). */
  readonly targets: readonly TargetDiff[];
}

export interface DiffInput {
  readonly before: readonly Rule[];
  readonly after: readonly Rule[];
  readonly backends: readonly Backend[];
  readonly config: ProjectConfig;
  /** Shows a source path as the reader knows it (repository-relative, the base tree mapped back). */
  readonly showPath: (file: string) => string;
  readonly compare?: CompareOptions;
}

const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function outputsOf(rule: Rule, backends: readonly Backend[], config: ProjectConfig): Map<string, { file: string; text: string }> {
  const { outputs } = compileRules([rule], backends, { config });
  return new Map(outputs.map((o) => [o.backend.name, { file: o.backend.fileName, text: o.text }]));
}

function targetDiffs(before: Rule | undefined, after: Rule | undefined, input: DiffInput): TargetDiff[] {
  const b = before === undefined ? undefined : outputsOf(before, input.backends, input.config);
  const a = after === undefined ? undefined : outputsOf(after, input.backends, input.config);
  const out: TargetDiff[] = [];
  for (const backend of input.backends) {
    const old = b?.get(backend.name)?.text ?? '';
    const now = a?.get(backend.name)?.text ?? '';
    if (old === now) continue;
    const diff = old === '' ? `+${now.replace(/\n$/, '').split('\n').join('\n+')}` : now === '' ? `-${old.replace(/\n$/, '').split('\n').join('\n-')}` : lineDiff(old, now);
    out.push({ target: backend.name, file: backend.fileName, diff });
  }
  return out;
}

function semanticsOf(before: Rule, after: Rule, options: CompareOptions | undefined): Semantics {
  const started = performance.now();
  const q0 = normalize(before.query);
  const q1 = normalize(after.query);
  const settled = (how: Semantics['how']): Semantics => ({ relation: 'equivalent', proved: true, beforeInAfter: 'yes', afterInBefore: 'yes', how, onlyBefore: [], onlyAfter: [], millis: performance.now() - started });
  if (meaningKey(q0) === meaningKey(q1)) return settled('identical');
  // Reordering the children of all/any or the values of a list keeps the meaning: no search needed.
  if (sameUpToOrder(q0, q1)) return settled('reordered');
  const c = compareQueries(q0, q1, options);
  return {
    relation: c.relation,
    proved: c.proved,
    beforeInAfter: c.beforeInAfter,
    afterInBefore: c.afterInBefore,
    how: 'compared',
    onlyBefore: c.onlyBefore,
    onlyAfter: c.onlyAfter,
    ...(c.note === undefined ? {} : { note: c.note }),
    millis: performance.now() - started,
  };
}

function fileOf(rule: Rule, input: DiffInput): { file?: string } {
  const loc: SourceLocation | undefined = rule.location;
  return loc === undefined ? {} : { file: input.showPath(loc.file) };
}

function changeKind(metadata: readonly MetadataChange[], logicSame: boolean, s: Semantics): ChangeKind {
  const equivalent = s.relation === 'equivalent' && s.proved;
  if (logicSame) return metadata.length > 0 ? 'metadata only' : 'unchanged';
  if (equivalent) return metadata.length > 0 ? 'metadata only' : 'equivalent rewrite';
  return metadata.length > 0 ? 'logic and metadata' : 'logic';
}

export function diffRuleSets(input: DiffInput): RuleDiff[] {
  const before = new Map(input.before.map((r) => [r.id, r]));
  const after = new Map(input.after.map((r) => [r.id, r]));
  const out: RuleDiff[] = [];
  for (const [id, rule] of after) {
    const old = before.get(id);
    if (old === undefined) {
      out.push({ id, name: rule.name, status: 'added', change: 'added', ...fileOf(rule, input), metadata: [], logic: [], targets: targetDiffs(undefined, rule, input) });
      continue;
    }
    const metadata = metadataChanges(old, rule);
    const q0 = normalize(old.query);
    const q1 = normalize(rule.query);
    const logicSame = nodeKey(q0) === nodeKey(q1);
    const logic = logicSame ? [] : logicChanges(q0, q1).map((c) => (c.at === undefined ? c : { ...c, at: { ...c.at, file: input.showPath(c.at.file) } }));
    const semantics = semanticsOf(old, rule, input.compare);
    const change = changeKind(metadata, logicSame, semantics);
    const status: RuleStatus = change === 'unchanged' ? 'unchanged' : 'changed';
    const targets = status === 'unchanged' ? [] : targetDiffs(old, rule, input);
    out.push({ id, name: rule.name, status, change, ...fileOf(rule, input), metadata, logic, semantics, targets });
  }
  for (const [id, rule] of before) {
    if (after.has(id)) continue;
    out.push({ id, name: rule.name, status: 'removed', change: 'removed', ...fileOf(rule, input), metadata: [], logic: [], targets: targetDiffs(rule, undefined, input) });
  }
  return out.sort(byNameThenId);
}

/** Whether a rule may now match events it did not: added, or not proved to match only old events. */
export function mayBeBroader(d: RuleDiff): boolean {
  if (d.status === 'added') return true;
  return d.semantics !== undefined && d.status === 'changed' && d.semantics.afterInBefore !== 'yes';
}

/** Whether a rule may no longer match events it did: removed, or not proved to keep every old event. */
export function mayBeNarrower(d: RuleDiff): boolean {
  if (d.status === 'removed') return true;
  return d.semantics !== undefined && d.status === 'changed' && d.semantics.beforeInAfter !== 'yes';
}

export type FailOn = 'broader' | 'narrower' | 'any';

/** Whether `--fail-on mode` fails on this rule. */
export function failsOn(d: RuleDiff, mode: FailOn): boolean {
  return mode === 'broader' ? mayBeBroader(d) : mode === 'narrower' ? mayBeNarrower(d) : d.status !== 'unchanged';
}
