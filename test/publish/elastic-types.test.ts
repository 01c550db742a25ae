/**
 * Imported Elastic new_terms and threshold rules publish as those types: Kibana's JSON (validated
 * against the create-rule schema) and detection-rules' TOML (parsed back) carry the parameters
 * of the source TOML; the Splunk and Sigma files, which are the query alone, come with SIEMC-P006.
 * On the detection-rules corpus, every imported rule of those types keeps its parameters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { elasticImporter } from '../../src/import/elastic.js';
import type { Rule } from '../../src/model/rule.js';
import { publishRules } from '../../src/publish/publish.js';
import { corpus } from '../support/fixtures.js';
import { REPO_DIR } from '../support/rules.js';
import { elasticCorpusFiles } from '../support/elastic-corpus.js';

const schema = JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/kibana/rule-create.schema.json`, 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const problems = (rule: unknown): string[] => (validate(rule) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

interface SourceRule {
  rule_id: string;
  type: string;
  new_terms?: { field: string; value: string[]; history_window_start: { field: string; value: string }[] };
  threshold?: { field: string[] | string; value: number; cardinality?: { field: string; value: number }[] };
}
type Kibana = Record<string, unknown> & { rule_id: string };

function importFiles(files: readonly string[]): { rules: Rule[]; sources: Map<string, SourceRule> } {
  const fields = (JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/elastic/integration-fields.json`, 'utf8')) as { fields: Record<string, never> }).fields;
  const importer = elasticImporter({ fields });
  const rules: Rule[] = [];
  const sources = new Map<string, SourceRule>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = (parse(text) as unknown as { rule: SourceRule }).rule;
    for (const rule of importer.importFile(file, text).rules) {
      rules.push(rule);
      sources.set(rule.id, source);
    }
  }
  return { rules, sources };
}

/** What Kibana's create-rule API and detection-rules' TOML should say, from the source TOML. */
function expectedKibana(source: SourceRule): Record<string, unknown> {
  if (source.type === 'new_terms')
    return { type: 'new_terms', language: 'kuery', new_terms_fields: source.new_terms?.value, history_window_start: source.new_terms?.history_window_start[0]?.value };
  const t = source.threshold;
  const field = t === undefined ? [] : Array.isArray(t.field) ? t.field : [t.field];
  return { type: 'threshold', language: 'kuery', threshold: { field, value: t?.value, ...(t?.cardinality === undefined || t.cardinality.length === 0 ? {} : { cardinality: t.cardinality }) } };
}

function expectedToml(source: SourceRule): Record<string, unknown> {
  if (source.type === 'new_terms') return { type: 'new_terms', language: 'kuery', new_terms: source.new_terms };
  const t = source.threshold;
  const field = t === undefined ? [] : Array.isArray(t.field) ? t.field : [t.field];
  return { type: 'threshold', language: 'kuery', threshold: { field, value: t?.value, ...(t?.cardinality === undefined || t.cardinality.length === 0 ? {} : { cardinality: t.cardinality }) } };
}

function published(rules: readonly Rule[]): { kibana: Map<string, Kibana>; toml: Map<string, Record<string, unknown>>; result: ReturnType<typeof publishRules> } {
  const result = publishRules(rules, { config: {} });
  const kibana = new Map<string, Kibana>();
  for (const line of (result.files.get('kibana/rules.ndjson') ?? '').trimEnd().split('\n')) {
    const k = JSON.parse(line) as Kibana;
    kibana.set(k.rule_id, k);
  }
  const toml = new Map<string, Record<string, unknown>>();
  for (const [path, text] of result.files)
    if (path.startsWith('detection-rules/') && path.endsWith('.toml')) {
      const rule = (parse(text) as { rule: Record<string, unknown> & { rule_id: string } }).rule;
      toml.set(rule.rule_id, rule);
    }
  return { kibana, toml, result };
}

describe('imported new_terms and threshold rules, published', () => {
  const dir = `${REPO_DIR}test/fixtures/elastic-publish`;
  const { rules, sources } = importFiles(readdirSync(dir).sort().map((f) => join(dir, f)));
  const { kibana, toml, result } = published(rules);
  const threshold = '6a1b7f0e-4c2d-4e8f-9a3b-1c2d3e4f5a6b';
  const newTerms = '7b2c8a1f-5d3e-4f9a-8b4c-2d3e4f5a6b7c';

  it('imports both fixtures with their parameters', () => {
    expect(rules.map((r) => r.elastic?.type).sort()).toEqual(['new_terms', 'threshold']);
  });

  it("Kibana: fits the create-rule schema, with the source's type and parameters", () => {
    expect(kibana.get(threshold)).toMatchObject({
      type: 'threshold',
      language: 'kuery',
      threshold: { field: ['source.ip', 'user.name'], value: 25, cardinality: [{ field: 'host.name', value: 3 }] },
      query: expect.stringContaining('authentication') as unknown,
    });
    expect(kibana.get(newTerms)).toMatchObject({ type: 'new_terms', language: 'kuery', new_terms_fields: ['host.id', 'process.executable', 'dns.question.name'], history_window_start: 'now-14d' });
    for (const k of kibana.values()) expect(problems(k), k.rule_id).toEqual([]);
    // The schema holds Kibana's constraints on these types.
    const t = kibana.get(threshold) ?? { rule_id: '' };
    const n = kibana.get(newTerms) ?? { rule_id: '' };
    expect(problems({ ...t, threshold: { field: ['a'], value: 0 } })).not.toEqual([]);
    expect(problems({ ...t, language: 'eql' })).not.toEqual([]);
    expect(problems({ ...t, threshold: undefined })).not.toEqual([]);
    expect(problems({ ...n, new_terms_fields: ['a', 'b', 'c', 'd'] })).not.toEqual([]);
    expect(problems({ ...n, history_window_start: undefined })).not.toEqual([]);
    expect(problems({ ...n, type: 'query' })).not.toEqual([]);
  });

  it("detection-rules TOML: parses back to the source's type and tables, laid out as theirs", () => {
    for (const [id, source] of sources) expect(toml.get(id), id).toMatchObject(expectedToml(source));
    const text = [...result.files].find(([p, t]) => p.startsWith('detection-rules/') && t.includes('[rule.threshold]'))?.[1] ?? '';
    expect(text).toMatch(/\n\[rule\.threat\.tactic\]\n(?:.+\n)+\n\[rule\.threshold\]\nfield = \["source\.ip", "user\.name"\]\nvalue = 25\n\n\[\[rule\.threshold\.cardinality\]\]\nfield = "host\.name"\nvalue = 3\n$/);
    const terms = [...result.files].find(([p, t]) => p.startsWith('detection-rules/') && t.includes('[rule.new_terms]'))?.[1] ?? '';
    expect(terms).toMatch(/'''\n\n\n\[rule\.new_terms\]\nfield = "new_terms_fields"\nvalue = \["host\.id", "process\.executable", "dns\.question\.name"\]\n\n\[\[rule\.new_terms\.history_window_start\]\]\nfield = "history_window_start"\nvalue = "now-14d"\n$/);
  });

  it('Splunk and Sigma: the plain search, with SIEMC-P006 naming what Kibana alerts on', () => {
    const p006 = result.diagnostics.filter((d) => d.code === 'SIEMC-P006');
    expect(p006.map((d) => `${d.target ?? ''} ${d.rule ?? ''}`).sort()).toEqual([`sigma ${threshold}`, `sigma ${newTerms}`, `splunk ${threshold}`, `splunk ${newTerms}`].sort());
    expect(p006.every((d) => d.severity === 'warning' && d.direction === 'widened')).toBe(true);
    expect(p006.find((d) => d.rule === threshold)?.message).toContain('Kibana alerts only for groups by source.ip, user.name of at least 25 events with at least 3 distinct host.name');
    expect(p006.find((d) => d.rule === newTerms)?.message).toContain('host.id, process.executable, dns.question.name take a value not seen since now-14d');
  });
});

const corpusDir = corpus('elastic-detection-rules');

describe.skipIf(corpusDir === undefined)('Elastic detection-rules corpus: new_terms and threshold rules publish with their parameters', () => {
  it('every imported one: Kibana (schema-valid) and detection-rules carry the source TOML parameters', () => {
    const files = elasticCorpusFiles(corpusDir as string).filter((f) => /^type = "(new_terms|threshold)"$/m.test(readFileSync(f, 'utf8')));
    const { rules, sources } = importFiles(files);
    const typed = rules.filter((r) => r.elastic?.type === 'new_terms' || r.elastic?.type === 'threshold');
    expect(typed.length).toBeGreaterThan(150);
    const { kibana, toml } = published(typed);
    const counts = { new_terms: 0, threshold: 0 };
    for (const rule of typed) {
      const source = sources.get(rule.id) as SourceRule;
      const k = kibana.get(rule.id);
      expect(k, rule.id).toMatchObject(expectedKibana(source));
      expect(problems(k), rule.id).toEqual([]);
      expect(toml.get(rule.id), rule.id).toMatchObject(expectedToml(source));
      counts[source.type as 'new_terms' | 'threshold'] += 1;
    }
    console.log(`corpus: ${counts.new_terms} new_terms and ${counts.threshold} threshold rules published with their parameters (of ${files.length} files of those types)`);
  }, 300_000);
});
