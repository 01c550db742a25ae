/**
 * Throw-away rule folders for CLI tests. They live under the repository's .cache/ (ignored by
 * git) so that rules resolve `siemc` through the repository's tsconfig, as rules/ does.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_DIR } from './rules.js';
import { filesUnder } from '../../src/util/files.js';

export function workspace(): string {
  mkdirSync(`${REPO_DIR}.cache`, { recursive: true });
  return mkdtempSync(join(`${REPO_DIR}.cache`, 'ws-'));
}

/** A deterministic rule id for the n-th generated rule. */
export const ruleId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * A module of `count` small rules; `variant` changes every rule's matched value (and so every
 * output file), so two variants tell old files from new ones.
 */
export function ruleModule(count: number, variant: string, first = 0): string {
  const lines = [
    "import { any, defineRule, field, type RuleSpec } from 'siemc';",
    "type Meta = Omit<RuleSpec, 'id' | 'name' | 'query' | 'tests'>;",
    "const meta: Meta = { description: 'generated', author: ['siemc tests'], license: 'Apache-2.0', severity: 'low', riskScore: 1,",
    "  schedule: { interval: '5m', from: 'now-6m' }, maxSignals: 100, index: ['logs-*'], tags: [], mitre: [], references: [], falsePositives: [], version: 1 };",
  ];
  for (let n = first; n < first + count; n++) {
    const value = `tool-${n}-${variant}.exe`;
    lines.push(
      `export const rule${n} = defineRule({ ...meta, id: '${ruleId(n)}', name: 'rule ${n}', query: any(field('process.name').equals('${value}'), field('file.name').likeIgnoreCase(['*.${variant}', 'x*${n}'])),`,
      `  tests: [{ name: 'hit', expect: 'match', event: { process: { name: '${value}' } } }] });`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function writeRules(dir: string, files: Readonly<Record<string, string>>): string {
  const rules = join(dir, 'rules');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(rules, name, '..'), { recursive: true });
    writeFileSync(join(rules, name), text);
  }
  return rules;
}

/** Every file below `dir` with its bytes (as latin1 text, so any byte compares exactly). */
export function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const full of filesUnder(dir, () => true)) out.set(relative(dir, full), readFileSync(full, 'latin1'));
  return out;
}
