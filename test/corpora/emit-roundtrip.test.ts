/**
 * `siemc import ... --emit ts` at corpus scale (the corpora live outside the repository): every
 * rule imported from SigmaHQ is emitted as TypeScript, the
 * emitted tree is loaded back through the real loader (type check included, once over the whole
 * tree), and every rule must come back with the same normalised IR and the same metadata, its
 * generated test events passing. The issue asks for 100%: no rule may be left out.
 *
 * Elastic's corpus is not here yet: its rules carry Elastic rule parameters (`elastic`: rule type,
 * new_terms, threshold) that RuleSpec does not accept, and field names with `/` that customField()
 * refuses, so most of them are left out with SIEMC-E004 / SIEMC-E001.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { emitRules } from '../../src/emit/typescript.js';
import { evaluate } from '../../src/eval/evaluate.js';
import type { Importer } from '../../src/import/importer.js';
import { importerNamed } from '../../src/import/registry.js';
import { importFiles, runImport } from '../../src/import/run.js';
import { normalize } from '../../src/ir/normalize.js';
import { corpus } from '../support/fixtures.js';
import { expectSameRules, loadBack, writeFiles } from '../emit/support.js';

async function roundTrip(name: string, importer: Importer, root: string): Promise<void> {
  let started = performance.now();
  const run = runImport(importer, importFiles(importer, [root]));
  const importMs = performance.now() - started;
  started = performance.now();
  const { files, diagnostics } = emitRules(run.rules, { root });
  const emitMs = performance.now() - started;
  // 100%: no rule left out (SIEMC-E001, SIEMC-E004).
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.location?.file ?? ''} ${d.message}`)).toEqual([]);
  started = performance.now();
  const { rules: loaded } = await loadBack(writeFiles(files));
  const loadMs = performance.now() - started;
  expectSameRules(run.rules, loaded);
  let tests = 0;
  let generated = 0;
  for (const rule of loaded) {
    expect(rule.tests.length, rule.name).toBeGreaterThan(0);
    const query = normalize(rule.query);
    for (const t of rule.tests) {
      expect(evaluate(query, t.event) ? 'match' : 'no match', `${rule.name}: ${t.name}`).toBe(t.expect);
      tests++;
      if (t.name.startsWith('generated: ')) generated++;
    }
  }
  const warnings = new Map<string, number>();
  for (const d of diagnostics) warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
  console.log(
    `${name} --emit ts: ${run.rules.length} rules imported (${(importMs / 1000).toFixed(1)} s), ${files.size} files emitted (${(emitMs / 1000).toFixed(1)} s), ` +
      `${loaded.length} loaded back with the type check (${(loadMs / 1000).toFixed(1)} s), all with the same IR and metadata; ` +
      `${tests} test events pass (${generated} generated); warnings: ${[...warnings].map(([c, n]) => `${c} x${n}`).join(', ') || 'none'}`,
  );
}

const sigmahq = corpus('sigmahq');

describe.skipIf(sigmahq === undefined)('SigmaHQ corpus: --emit ts round trip', () => {
  it('emits every imported rule, and loads each back to the same IR and metadata with passing tests', async () => {
    const sigma = importerNamed('sigma') as Importer;
    await roundTrip('sigma', sigma.configure?.(loadConfig()) ?? sigma, `${sigmahq as string}/rules`);
  }, 600_000);
});
