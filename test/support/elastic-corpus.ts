/** The Elastic detection-rules corpus: its TOML files, and which rules the importer is meant to take. */
import { filesUnder } from '../../src/util/files.js';
import { parse } from 'smol-toml';

export function elasticCorpusFiles(root: string): string[] {
  return filesUnder(root, (_, name) => name.endsWith('.toml'));
}

/** Single-event EQL (comments aside, not sequence/sample/join) or KQL query, new_terms, threshold. */
export function importable(text: string): boolean {
  const rule = (parse(text) as { rule?: { type?: unknown; language?: unknown; query?: unknown } }).rule;
  if (rule === undefined || typeof rule.query !== 'string') return false;
  if (rule.type === 'eql' && rule.language === 'eql') {
    const stripped = rule.query.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
    return !/^\s*(sequence|sample|join)\b/i.test(stripped);
  }
  return rule.language === 'kuery' && (rule.type === 'query' || rule.type === 'new_terms' || rule.type === 'threshold');
}
