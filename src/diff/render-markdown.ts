/**
 * The pull-request comment: a summary table first, then each rule's details folded in
 * `<details>`, by rule name. It always fits in one GitHub comment: every rule first gets a compact
 * entry (what changed and how it changes detection), then full entries (every value, witness
 * events, metadata text diffs, per-target output diffs) while room is left; a closing note names
 * everything that was left out.
 */
import type { LogicChange } from './logic.js';
import type { MetadataChange } from './metadata.js';
import { cellCode, cellText, code, details, fence, htmlText, mdText } from './markdown.js';
import { countsLine, countsOf, directionText, meaningText, targetsText, witnessJson, type DiffReport } from './report.js';
import type { RuleDiff, Semantics } from './rule-diff.js';
import { shortCommit } from './git.js';

/**
 * GitHub rejects a comment over 65,536 characters, and the comment workflow `siemc init` writes
 * keeps the first 65,000 bytes of the file; counting UTF-8 bytes against 65,000 satisfies both.
 */
export const COMMENT_LIMIT_BYTES = 65_000;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export interface MarkdownOptions {
  /** Bytes the whole comment may take (default COMMENT_LIMIT_BYTES). */
  readonly limit?: number;
}

/** How much of a rule's details a comment holds: brief (what changed, the verdict), compact (one witness per side), full. */
type Level = 'none' | 'brief' | 'compact' | 'full';
const LEVELS: readonly Exclude<Level, 'none'>[] = ['brief', 'compact', 'full'];

const SHORT_LOGIC_LINES: Readonly<Record<Level, number>> = { none: 0, brief: 5, compact: 15, full: Infinity };
const FULL_WITNESSES = 3;

function logicLine(c: LogicChange): string {
  const where = c.where === 'query' ? '' : ` in ${code(c.where)}`;
  const at = c.at === undefined ? '' : ` (${c.atBase ? 'was at ' : ''}${code(`${c.at.file}:${c.at.line}`)})`;
  return `- ${code(c.text)}${where}${at}`;
}

/** Markdown blocks, one blank line apart. */
function blocks(...parts: readonly string[]): string {
  return parts
    .map((p) => p.replace(/\n+$/, ''))
    .filter((p) => p !== '')
    .join('\n\n');
}

function metadataBlock(changes: readonly MetadataChange[], level: Level): string {
  if (changes.length === 0) return '';
  const lines = changes.map((m) => `- ${code(m.text)}`).join('\n');
  const diffs = level === 'full' ? changes.filter((m) => m.diff !== undefined).map((m) => details(`${htmlText(m.field)} (line diff)`, fence('diff', m.diff as string))) : [];
  return blocks('**Metadata**', lines, ...diffs);
}

function witnessBlock(title: string, events: readonly unknown[], max: number): string {
  if (events.length === 0 || max === 0) return '';
  const shown = events.slice(0, max).map((e) => witnessJson(e as never)).join('\n');
  const more = events.length > max ? `(${events.length - max} more left out)` : '';
  return blocks(title, fence('json', shown), more);
}

function meaningBlock(s: Semantics, level: Level): string {
  if (level === 'brief') return `**Meaning**: ${mdText(meaningText(s).replace(/:.*$/, '.'))}`;
  const max = level === 'full' ? FULL_WITNESSES : level === 'compact' ? 1 : 0;
  return blocks(
    `**Meaning**: ${mdText(meaningText(s))}`,
    witnessBlock('Events only the **new** version matches (each checked with the reference evaluator):', s.onlyAfter, max),
    witnessBlock('Events only the **old** version matches (each checked with the reference evaluator):', s.onlyBefore, max),
  );
}

function targetsBlock(d: RuleDiff, level: Level): string {
  if (d.targets.length === 0) return '';
  const names = d.targets.map((t) => t.target).join(', ');
  if (level !== 'full') return `**Target outputs changed**: ${mdText(names)}`;
  const inner = blocks(...d.targets.map((t) => details(`${htmlText(t.target)} (${htmlText(t.file)})`, fence('diff', t.diff))));
  return details(`Target outputs changed: ${htmlText(names)}`, inner);
}

function logicBlock(d: RuleDiff, level: Level): string {
  if (d.logic.length === 0) return '';
  const shown = d.logic.slice(0, SHORT_LOGIC_LINES[level]);
  const more = d.logic.length - shown.length;
  return blocks('**Logic**', `${shown.map(logicLine).join('\n')}${more > 0 ? `\n- … ${more} more changes left out` : ''}`);
}

function ruleBody(d: RuleDiff, level: Level): string {
  return blocks(
    level === 'brief' ? '' : `Rule ${code(d.id)}${d.file === undefined ? '' : ` in ${code(d.file)}${d.status === 'removed' ? ' (at the base)' : ''}`}.`,
    d.status === 'added' ? 'A new rule: everything it matches is new.' : '',
    d.status === 'removed' ? 'Removed: nothing it matched is matched by it any more.' : '',
    logicBlock(d, level),
    d.semantics !== undefined && d.status === 'changed' ? meaningBlock(d.semantics, level) : '',
    metadataBlock(d.metadata, level),
    targetsBlock(d, level),
  );
}

function ruleDetails(d: RuleDiff, level: Level): string {
  return details(`<b>${htmlText(d.name)}</b>: ${htmlText(d.change)}, ${htmlText(directionText(d))}`, ruleBody(d, level));
}

function tableRow(d: RuleDiff): string {
  return `| ${cellText(d.name)}<br>${cellCode(d.id)} | ${cellText(d.change)} | ${cellText(directionText(d))} | ${cellText(targetsText(d))} |`;
}

function header(report: DiffReport): string {
  const counts = countsOf(report);
  return [
    '### siemc diff',
    '',
    `Rules in ${code(report.rulesDir)} compared with ${code(report.base.ref)} (${code(shortCommit(report.base.commit))}). ${mdText(countsLine(counts))}`,
    '',
  ].join('\n');
}

/** Rule names for the cut note, at most about 1,200 bytes of them so the note fits its reserve. */
function names(rules: readonly RuleDiff[]): string {
  const shown: string[] = [];
  let size = 0;
  for (const r of rules) {
    const n = mdText(r.name.length > 80 ? `${r.name.slice(0, 80)}…` : r.name);
    if (size + bytes(n) > 1_200) break;
    shown.push(n);
    size += bytes(n) + 2;
  }
  return shown.length < rules.length ? `${shown.join(', ')} and ${rules.length - shown.length} more` : shown.join(', ');
}

/** The longest prefix of `s` within `max` UTF-8 bytes, not splitting a character. */
function cutToBytes(s: string, max: number): string {
  let out = s.slice(0, max);
  while (bytes(out) > max) out = out.slice(0, out.length - Math.max(1, Math.floor((bytes(out) - max) / 4)));
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

/** The comment; at most `limit` bytes. */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT_BYTES;
  const shown = report.rules.filter((r) => r.status !== 'unchanged');
  const top = header(report);
  if (shown.length === 0) return `${top}\n`;
  // Room for the cut note (its name lists are capped), kept free from the start.
  const reserve = 4_000;
  const budget = limit - reserve;

  const tableHead = '| rule | change | direction | targets affected |\n|---|---|---|---|\n';
  let used = bytes(top) + 1 + bytes(tableHead) + 1;
  const rows: string[] = [];
  let rowsLeftOut = 0;
  for (const d of shown) {
    const row = `${tableRow(d)}\n`;
    if (used + bytes(row) <= budget) {
      rows.push(row);
      used += bytes(row);
    } else rowsLeftOut++;
  }

  const levels: Level[] = shown.map(() => 'none');
  const text = shown.map(() => '');
  // Every rule its brief entry first, then each level up in name order while the room lasts:
  // a large change keeps something about every rule rather than everything about the first few.
  for (const level of LEVELS) {
    shown.forEach((d, i) => {
      if (level !== 'brief' && levels[i] === 'none') return;
      const t = `${ruleDetails(d, level)}\n`;
      const extra = bytes(t) - bytes(text[i] as string);
      if (used + extra <= budget) {
        levels[i] = level;
        text[i] = t;
        used += extra;
      }
    });
  }

  const dropped = shown.filter((_, i) => levels[i] === 'none');
  const shortened = shown.filter((_, i) => levels[i] === 'brief' || levels[i] === 'compact');
  const cut: string[] = [];
  if (rowsLeftOut > 0) cut.push(`${rowsLeftOut} summary table rows (the last ones by name)`);
  if (dropped.length > 0) cut.push(`the details of ${dropped.length} rules (${names(dropped)})`);
  if (shortened.length > 0) cut.push(`part of the details of ${shortened.length} rules (output diffs, text diffs, most witness events, long lists of logic changes: ${names(shortened)})`);
  const note = cut.length === 0 ? '' : `\n> **Cut to fit GitHub's comment limit (65,536 characters)**: left out ${cut.join('; ')}. Run \`siemc diff --format text\` (or \`--format json\`) for all of it.\n`;

  const out = `${top}\n${tableHead}${rows.join('')}\n${text.join('')}${note}`;
  // The note's name lists are capped, so the reserve holds it; this guards the guarantee itself.
  return bytes(out) <= limit ? out : `${cutToBytes(out, limit - 200)}\n\n> **Cut**: the comment was cut here to fit GitHub's limit.\n`;
}
