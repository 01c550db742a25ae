/**
 * The whole diff as data (what `--format json` prints) and the phrases every format shares, so the
 * Markdown comment and the terminal text say the same thing in the same words.
 */
import type { Json } from '../model/event.js';
import type { RuleDiff, Semantics } from './rule-diff.js';

export interface DiffReport {
  /** The base as the user named it (`origin/main`, `merge-base(HEAD, main)`) and its commit. */
  readonly base: { readonly ref: string; readonly commit: string };
  /** The rules folder, relative to the repository root. */
  readonly rulesDir: string;
  /** Every rule of either version, by name then id. */
  readonly rules: readonly RuleDiff[];
}

export interface Counts {
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly unchanged: number;
}

export function countsOf(report: DiffReport): Counts {
  const n = (s: RuleDiff['status']) => report.rules.filter((r) => r.status === s).length;
  return { changed: n('changed'), added: n('added'), removed: n('removed'), unchanged: n('unchanged') };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function countsLine(c: Counts): string {
  if (c.changed + c.added + c.removed === 0) return `No rule changed (${plural(c.unchanged, 'rule')} compared).`;
  const parts = [c.changed > 0 ? `${c.changed} changed` : '', c.added > 0 ? `${c.added} added` : '', c.removed > 0 ? `${c.removed} removed` : '', c.unchanged > 0 ? `${c.unchanged} unchanged` : ''];
  const n = c.changed + c.added + c.removed;
  return `${plural(n, 'rule')} ${n === 1 ? 'differs' : 'differ'}: ${parts.filter((p) => p !== '').join(', ')}.`;
}

/** How many events a search outside the decision tried, from the comparison's note. */
function triedEvents(note: string | undefined): string | undefined {
  return note === undefined ? undefined : /no difference found in (\d+ [a-z ]*events)/.exec(note)?.[1];
}

/** The direction column: what the change does to the set of matched events, and whether that is proved. */
export function directionText(d: RuleDiff): string {
  if (d.status === 'added') return 'new rule';
  if (d.status === 'removed') return 'rule removed';
  const s = d.semantics;
  if (s === undefined) return 'not compared';
  switch (s.relation) {
    case 'equivalent':
      return s.proved ? 'equivalent (proved)' : notProved(s);
    case 'broader':
      return 'broader (proved)';
    case 'narrower':
      return 'narrower (proved)';
    case 'both':
      return 'broader and narrower (proved)';
    case 'unknown':
      return notProved(s);
  }
}

function notProved(s: Semantics): string {
  if (s.onlyAfter.length > 0 && s.onlyBefore.length === 0) return 'broader at least (whether it also drops events is not proved)';
  if (s.onlyBefore.length > 0 && s.onlyAfter.length === 0) return 'narrower at least (whether it also adds events is not proved)';
  const tried = triedEvents(s.note);
  return `not proved: no difference found${tried === undefined ? ' by the comparison' : ` in ${tried}`}`;
}

/** One or two sentences on the meaning, for a rule's details. */
export function meaningText(s: Semantics): string {
  const took = s.how === 'compared' ? `, ${Math.round(s.millis)} ms` : '';
  switch (s.relation) {
    case 'equivalent':
      if (!s.proved) return `Not proved${took}: ${s.note ?? 'the comparison was not decided'}.`;
      return s.how === 'identical' ? 'Equivalent (proved): the query is the same.'
        : s.how === 'reordered' ? 'Equivalent (proved): the same clauses and values, in another order.'
        : `Equivalent (proved${took}): both versions match exactly the same events.`;
    case 'broader':
      return `Broader (proved${took}): every event the old version matched is still matched, and the new version matches more.`;
    case 'narrower':
      return `Narrower (proved${took}): every event the new version matches was matched before, and some are no longer matched.`;
    case 'both':
      return `Broader and narrower (proved${took}): the new version matches some new events and no longer matches some old ones.`;
    case 'unknown':
      return `${notProved(s).replace(/^./, (c) => c.toUpperCase())}${took}. ${s.note ?? ''}`.trim();
  }
}

export function witnessJson(e: Json): string {
  return JSON.stringify(e);
}

/** The targets column. */
export function targetsText(d: RuleDiff): string {
  return d.targets.length === 0 ? 'none' : d.targets.map((t) => t.target).join(', ');
}
