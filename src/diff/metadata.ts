/**
 * Metadata changes of a rule: every property but the query, compared generically so a property
 * added to the rule model later is still reported. Lists read as values added and removed; MITRE
 * as tactic/technique ids; long texts (description, investigation guide) as a line diff.
 */
import { lineDiff } from '../output/line-diff.js';
import { quote, valueList } from './describe.js';

export interface MetadataChange {
  /** The rule property: `severity`, `riskScore`, `schedule.interval`, `mitre`, `note`... */
  readonly field: string;
  /** One line: `severity: low → high`, `tags: + "OS: Linux"`. */
  readonly text: string;
  /** For long texts: a line diff (`-` before, `+` after). */
  readonly diff?: string;
}

/** Not metadata: the query has its own comparison; kind and where the rule sits in its source are bookkeeping. */
const SKIPPED = new Set(['query', 'kind', 'location', 'provenance.location']);
/** Properties shown first, in this order; any other follows alphabetically. */
const ORDER = ['name', 'severity', 'riskScore', 'schedule', 'maxSignals', 'index', 'tags', 'mitre', 'description', 'note', 'version'];
const LONG_TEXT = 100;

type Value = unknown;

function scalarText(v: Value): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v.length > LONG_TEXT ? `${quote(`${v.slice(0, LONG_TEXT)}…`)}` : quote(v);
  return JSON.stringify(v) ?? String(v);
}

interface MitreLike {
  readonly tactic?: { readonly id?: string; readonly name?: string };
  readonly techniques?: readonly { readonly id?: string; readonly name?: string; readonly subtechniques?: readonly { readonly id?: string; readonly name?: string }[] }[];
}

/** `TA0011 Command and Control`, `TA0011 > T1102 Web Service`, `TA0011 > T1568 > T1568.002 ...`: one entry per node of the tree. */
function mitreEntries(value: Value): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const t of value as MitreLike[]) {
    const tactic = `${t.tactic?.id ?? '?'} ${t.tactic?.name ?? ''}`.trim();
    out.push(tactic);
    for (const tech of t.techniques ?? []) {
      out.push(`${t.tactic?.id ?? '?'} > ${tech.id ?? '?'} ${tech.name ?? ''}`.trim());
      for (const sub of tech.subtechniques ?? []) out.push(`${t.tactic?.id ?? '?'} > ${tech.id ?? '?'} > ${sub.id ?? '?'} ${sub.name ?? ''}`.trim());
    }
  }
  return out;
}

function listChange(field: string, before: readonly string[], after: readonly string[]): MetadataChange | undefined {
  const b = new Set(before);
  const a = new Set(after);
  const added = after.filter((x) => !b.has(x));
  const removed = before.filter((x) => !a.has(x));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`+ ${valueList(added, 8).replace(/^\[|\]$/g, '')}`);
  if (removed.length > 0) parts.push(`- ${valueList(removed, 8).replace(/^\[|\]$/g, '')}`);
  if (parts.length === 0) return before.join('\n') === after.join('\n') ? undefined : { field, text: `${field}: the same ${after.length} entries, reordered` };
  return { field, text: `${field}: ${parts.join('; ')}` };
}

const isStringList = (v: Value): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function change(field: string, before: Value, after: Value, out: MetadataChange[]): void {
  if (SKIPPED.has(field) || JSON.stringify(before) === JSON.stringify(after)) return;
  if (field === 'mitre') {
    const c = listChange(field, mitreEntries(before), mitreEntries(after));
    if (c !== undefined) out.push(c);
    return;
  }
  if (field === 'tests' && Array.isArray(before) && Array.isArray(after)) {
    const names = (v: readonly unknown[]) => v.map((t) => JSON.stringify(t));
    const b = new Set(names(before));
    const a = new Set(names(after));
    const added = names(after).filter((t) => !b.has(t)).length;
    const removed = names(before).filter((t) => !a.has(t)).length;
    out.push({ field, text: `tests: ${before.length} → ${after.length} test events (${added} added or edited, ${removed} removed or edited)` });
    return;
  }
  if ((isStringList(before) || before === undefined) && (isStringList(after) || after === undefined) && (before !== undefined || after !== undefined)) {
    const c = listChange(field, before ?? [], after ?? []);
    if (c !== undefined) out.push(c);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) change(`${field}.${key}`, before[key], after[key], out);
    return;
  }
  const long = (v: Value) => typeof v === 'string' && (v.length > LONG_TEXT || v.includes('\n'));
  if (long(before) || long(after)) {
    const b = typeof before === 'string' ? before : '';
    const a = typeof after === 'string' ? after : '';
    const lines = (s: string) => (s === '' ? 0 : s.split('\n').length);
    out.push({ field, text: `${field}: changed (${lines(b)} → ${lines(a)} lines, ${b.length} → ${a.length} characters)`, diff: lineDiff(b, a, { maxLines: 60 }) });
    return;
  }
  out.push({ field, text: `${field}: ${scalarText(before)} → ${scalarText(after)}` });
}

function isPlainObject(v: Value): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rank(key: string): number {
  const i = ORDER.indexOf(key);
  return i === -1 ? ORDER.length : i;
}

/** Metadata changes between two versions of a rule (objects with the rule model's properties). */
export function metadataChanges(before: object, after: object): MetadataChange[] {
  const b = before as Readonly<Record<string, unknown>>;
  const a = after as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !SKIPPED.has(k))
    .sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  const out: MetadataChange[] = [];
  for (const key of keys) change(key, b[key], a[key], out);
  return out;
}
