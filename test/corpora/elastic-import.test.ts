/**
 * The Elastic importer on Elastic's detection-rules corpus (outside the repository): at least 98%
 * of the single-event EQL and KQL (query, new_terms, threshold) rules import and compile to every
 * target; every other rule gets an error diagnostic that names why, at its file; nothing throws.
 * The non-ECS numeric fields the rules compare are declared as a project would (fixtures).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules } from '../../src/compile.js';
import type { Rule } from '../../src/model/rule.js';
import { elasticImporter } from '../../src/import/elastic.js';
import type { ImportResult } from '../../src/import/importer.js';
import { corpus } from '../support/fixtures.js';
import { REPO_DIR } from '../support/rules.js';
import { elasticCorpusFiles, importable } from '../support/elastic-corpus.js';

const dir = corpus('elastic-detection-rules');

describe.skipIf(dir === undefined)('Elastic detection-rules corpus: import', () => {
  const fields = (JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/elastic/integration-fields.json`, 'utf8')) as { fields: Record<string, never> }).fields;
  const importer = elasticImporter({ fields });

  it('imports 98% of the single-event EQL and KQL rules into rules that compile to every target; the rest are located errors', () => {
    const files = elasticCorpusFiles(dir as string);
    let eligible = 0;
    let imported = 0;
    let approximated = 0;
    const refused: string[] = [];
    const byCode = new Map<string, number>();
    const exactOn = new Map<string, number>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const result: ImportResult = importer.importFile(file, text);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
      // Exactly one of: a rule, or an error naming the file and a reason.
      expect(result.rules.length + Math.min(errors.length, 1), file).toBe(1);
      for (const d of errors) {
        expect(d.location?.file, file).toBe(file);
        expect(d.message.length, file).toBeGreaterThan(20);
      }
      const wanted = importable(text);
      if (wanted) eligible++;
      if (result.rules.length === 0) {
        if (wanted) refused.push(`${file.slice((dir as string).length + 1)}: ${errors[0]?.message ?? ''}`);
        continue;
      }
      expect(wanted, `${file} imported but is not a single-event EQL or KQL rule`).toBe(true);
      const { outputs, diagnostics } = compileRules(result.rules as Rule[], backends);
      expect(outputs.length).toBe(backends.length);
      for (const o of outputs) expect(o.text.endsWith('\n'), `${file} ${o.backend.name}`).toBe(true);
      // Approximations are named: a code, a target, a direction.
      for (const d of diagnostics) expect(d.code).toMatch(/^SIEMC-A\d{3}$/);
      if (diagnostics.length > 0) approximated++;
      for (const b of backends) if (!diagnostics.some((d) => d.target === b.name)) exactOn.set(b.name, (exactOn.get(b.name) ?? 0) + 1);
      imported++;
    }
    const share = imported / eligible;
    console.log(
      `elastic import: ${imported} of ${eligible} single-event EQL/KQL rules imported and compiled to ${backends.length} targets ` +
        `(${(share * 100).toFixed(1)}%; ${imported - approximated} exact everywhere, ${approximated} with named approximations; exact per target: ${backends.map((b) => `${b.name} ${exactOn.get(b.name) ?? 0}`).join(', ')}); ` +
        `errors by code: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}\n  refused: ${refused.join('\n  refused: ')}`,
    );
    expect(share).toBeGreaterThanOrEqual(0.98);
  }, 120_000);
});
