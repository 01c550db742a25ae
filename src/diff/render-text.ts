/** The diff for a terminal: the same summary and details as the Markdown comment, in plain text, nothing cut. */
import { shortCommit } from './git.js';
import { countsLine, countsOf, directionText, meaningText, targetsText, witnessJson, type DiffReport } from './report.js';
import type { RuleDiff } from './rule-diff.js';

const indent = (text: string, by = '    '): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');

function ruleText(d: RuleDiff): string {
  const lines: string[] = [];
  lines.push(`${d.name} (${d.id})${d.file === undefined ? '' : `, ${d.file}${d.status === 'removed' ? ' at the base' : ''}`}`);
  lines.push(`  change: ${d.change}; direction: ${directionText(d)}; targets affected: ${targetsText(d)}`);
  if (d.logic.length > 0) {
    lines.push('  logic:');
    for (const c of d.logic) {
      const where = c.where === 'query' ? '' : ` [in ${c.where}]`;
      const at = c.at === undefined ? '' : ` (${c.atBase ? 'was at ' : ''}${c.at.file}:${c.at.line})`;
      lines.push(`    ${c.text}${where}${at}`);
    }
  }
  const s = d.semantics;
  if (s !== undefined && d.status === 'changed') {
    lines.push(`  meaning: ${meaningText(s)}`);
    for (const e of s.onlyAfter) lines.push(`    only the new version matches: ${witnessJson(e)}`);
    for (const e of s.onlyBefore) lines.push(`    only the old version matches: ${witnessJson(e)}`);
  }
  if (d.metadata.length > 0) {
    lines.push('  metadata:');
    for (const m of d.metadata) {
      lines.push(`    ${m.text}`);
      if (m.diff !== undefined) lines.push(indent(m.diff, '      '));
    }
  }
  for (const t of d.targets) {
    lines.push(`  ${t.target} (${t.file}):`);
    lines.push(indent(t.diff));
  }
  return lines.join('\n');
}

export function renderText(report: DiffReport): string {
  const head = `siemc diff: ${report.rulesDir} compared with ${report.base.ref} (${shortCommit(report.base.commit)}). ${countsLine(countsOf(report))}`;
  const shown = report.rules.filter((r) => r.status !== 'unchanged');
  return `${[head, ...shown.map(ruleText)].join('\n\n')}\n`;
}
