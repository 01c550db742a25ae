/** The Elastic detection-rules corpus: its TOML files, and which rules the importer is meant to take. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

export function elasticCorpusFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.toml')) out.push(p);
    }
  };
  walk(root);
  return out;
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
