/**
 * siemc's EQL for every imported Elastic rule parses with Python's `eql`, as detection-rules
 * validates EQL; so does the reference rule's snapshot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eql } from '../../src/backends/eql/index.js';
import { compileRules } from '../../src/compile.js';
import { elasticImporter } from '../../src/import/elastic.js';
import { elasticCorpusFiles } from '../support/elastic-corpus.js';
import { corpus } from '../support/fixtures.js';
import { pythonEqlAvailable, pythonEqlErrors } from '../support/python-eql.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';

const available = pythonEqlAvailable();

describe.skipIf(!available)("Python eql reads siemc's EQL", () => {
  it('the reference rule snapshot', () => {
    const query = readFileSync(`${REPO_DIR}snapshots/${REFERENCE_RULE_ID}/eql.eql`, 'utf8');
    expect(pythonEqlErrors([{ id: 'ref', query }])).toEqual(new Map());
  });

  const dir = corpus('elastic-detection-rules');
  it.skipIf(dir === undefined)('every imported Elastic rule, re-emitted as EQL', () => {
    const fields = (JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/elastic/integration-fields.json`, 'utf8')) as { fields: Record<string, never> }).fields;
    const importer = elasticImporter({ fields });
    const rules = elasticCorpusFiles(dir as string).flatMap((f) => importer.importFile(f, readFileSync(f, 'utf8')).rules);
    const { outputs } = compileRules(rules, [eql]);
    const errors = pythonEqlErrors(outputs.map((o) => ({ id: o.rule.id, query: o.text })));
    console.log(`python eql: ${outputs.length - errors.size} of ${outputs.length} re-emitted EQL queries parse`);
    expect([...errors].slice(0, 10)).toEqual([]);
    expect(outputs.length).toBeGreaterThan(1200);
  }, 300_000);
});
