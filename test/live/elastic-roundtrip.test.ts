/**
 * Imported Elastic rules, round-tripped on a live Elasticsearch. For every imported rule, witness
 * events come from its IR: per field, one value in every cell its leaves cut (so each leaf is
 * true on one event and false on another), other fields random or missing, plus random events.
 * Many rules share one index (mapped for their fields, bulk-indexed); a rule's searches are
 * filtered to its own events.
 *  - our Query DSL (esdsl) selects exactly what the evaluator says;
 *  - KQL rules: the original query (and its Kibana filters) through Elasticsearch's own `kql`
 *    query selects what our Query DSL selects;
 *  - EQL rules: the original query through the EQL planner's Query DSL (parseEql + toQuery, as in
 *    eql.test.ts) selects what our Query DSL selects.
 * Disagreements are grouped by class; each class is explained below or is a failure.
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { toQuery } from '../../src/backends/esdsl/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import type { Json } from '../../src/eval/values.js';
import { parseEql } from '../../src/frontends/eql/parse.js';
import { parseKql, type KqlAst } from '../../src/frontends/kql/parse.js';
import { elasticImporter } from '../../src/import/elastic.js';
import { fieldsOf } from '../../src/ir/fields.js';
import { assertNever, type Field } from '../../src/ir/nodes.js';
import { normalize } from '../../src/ir/normalize.js';
import { mappingFor } from '../../src/live/mapping.js';
import type { Rule } from '../../src/model/rule.js';
import { FieldSchema } from '../../src/schema/fields.js';
import { elasticCorpusFiles } from '../support/elastic-corpus.js';
import { corpus } from '../support/fixtures.js';
import { esClient, LIVE, requireNodeInCi, uniqueIndex } from '../support/live.js';
import { REPO_DIR } from '../support/rules.js';
import { witnesses } from '../support/witnesses.js';

requireNodeInCi();

const dir = corpus('elastic-detection-rules');
const RULE_FIELD = 'siemc_rule';
const BATCH = 150;
/** The rule's Kibana filters as Query DSL, as Kibana adds them (negate: must_not; disabled: dropped). */
function kibanaFilters(filters: unknown): unknown[] {
  if (!Array.isArray(filters)) return [];
  return filters.flatMap((f: { meta?: { negate?: boolean; disabled?: boolean }; query?: unknown; exists?: unknown }) => {
    if (f.meta?.disabled === true) return [];
    const q = f.query ?? { exists: f.exists };
    return [f.meta?.negate === true ? { bool: { must_not: [q] } } : q];
  });
}

interface Case {
  readonly rule: Rule;
  readonly index: string;
  readonly events: readonly Json[];
  readonly original: unknown;
  readonly language: 'kuery' | 'eql';
}

async function search(client: Client, cases: readonly Case[], queries: readonly unknown[]): Promise<Set<number>[]> {
  const out: Set<number>[] = [];
  for (let i = 0; i < cases.length; i += 50) {
    const chunk = cases.slice(i, i + 50);
    const searches = chunk.flatMap((c, j) => [
      { index: c.index },
      { size: 10_000, _source: false, fields: [], query: { bool: { filter: [{ term: { [RULE_FIELD]: c.rule.id } }, queries[i + j]] } } },
    ]);
    const res = await client.msearch({ searches: searches as never });
    res.responses.forEach((r, j) => {
      if ('error' in r) {
        out.push(new Set([-1]));
        console.log(`search failed for ${chunk[j]?.rule.id}: ${JSON.stringify(r.error).slice(0, 300)}`);
      } else out.push(new Set(r.hits.hits.map((h) => Number((h._id ?? '').split(':')[1]))));
    });
  }
  return out;
}

describe.skipIf(!LIVE || dir === undefined)('imported Elastic rules round-trip on a live Elasticsearch', () => {
  it('our Query DSL matches the evaluator, and the original KQL/EQL selects what it selects', async () => {
    const fields = (JSON.parse(readFileSync(`${REPO_DIR}test/fixtures/elastic/integration-fields.json`, 'utf8')) as { fields: Record<string, never> }).fields;
    const importer = elasticImporter({ fields });
    const client = esClient();
    const rules: { rule: Rule; filters: unknown }[] = [];
    for (const file of elasticCorpusFiles(dir as string)) {
      const text = readFileSync(file, 'utf8');
      for (const rule of importer.importFile(file, text).rules) {
        rules.push({ rule, filters: (parseToml(text).rule as { filters?: unknown } | undefined)?.filters });
      }
    }
    // Batches of rules whose fields map together (no field both an object and a value, one type each).
    const cases: Case[] = [];
    const multiFields: string[] = [];
        let batch: { rule: Rule; filters: unknown; events: Json[] }[] = [];
    let batchFields = new Map<string, Field>();
    const flush = async () => {
      if (batch.length === 0) return;
      const index = uniqueIndex(`siemc-live-elastic-${cases.length}`);
      await client.indices.delete({ index, ignore_unavailable: true });
      const mapping = mappingFor([...batchFields.values(), { name: RULE_FIELD, type: 'keyword' }]);
      await client.indices.create({ index, mappings: mapping as never, settings: { number_of_shards: 1, number_of_replicas: 0, 'index.mapping.total_fields.limit': 10_000 } as never });
      const operations = batch.flatMap((b) => b.events.flatMap((e, n) => [{ index: { _index: index, _id: `${b.rule.id}:${n}` } }, { ...(e as object), [RULE_FIELD]: b.rule.id }]));
      const res = await client.bulk({ operations, refresh: 'wait_for' });
      if (res.errors) {
        const bad = res.items.filter((i) => i.index?.error !== undefined).slice(0, 3);
        throw new Error(`bulk indexing failed: ${JSON.stringify(bad)}`);
      }
      for (const b of batch) {
        const e = b.rule.elastic;
        if (e === undefined) continue;
        const original =
          e.language === 'kuery'
            ? { bool: { filter: [{ kql: { query: e.originalQuery } }, ...kibanaFilters(b.filters)] } }
            : {
                bool: {
                  filter: [
                    toQuery(parseEql(e.originalQuery, new FieldSchema(fields).typeOf, e.eventCategoryOverride === undefined ? {} : { categoryField: e.eventCategoryOverride })),
                    ...kibanaFilters(b.filters),
                  ],
                },
              };
        cases.push({ rule: b.rule, index, events: b.events, original, language: e.language });
      }
      batch = [];
      batchFields = new Map();
    };
    for (const { rule, filters } of rules) {
      const query = normalize(rule.query);
      const fs = fieldsOf(query);
      // A multi-field (process.name and process.name.caseless) needs a sub-field mapping, which mappingFor does not make.
      if (fs.some((f) => fs.some((g) => g.name.startsWith(`${f.name}.`)))) {
        multiFields.push(rule.name);
        continue;
      }
      const events = witnesses(query, cases.length + batch.length + 1);
      const names = [...batchFields.keys()];
      const clash = fs.some((f) => {
        const known = batchFields.get(f.name);
        return (known !== undefined && known.type !== f.type) || names.some((n) => n.startsWith(`${f.name}.`) || f.name.startsWith(`${n}.`));
      });
      if (clash || batch.length >= BATCH) await flush();
      for (const f of fs) batchFields.set(f.name, f);
      batch.push({ rule, filters, events });
    }
    await flush();

    const ours = cases.map((c) => toQuery(normalize(c.rule.query)));
    const oursHits = await search(client, cases, ours);
    const originalHits = await search(client, cases, cases.map((c) => c.original));
    await client.indices.delete({ index: [...new Set(cases.map((c) => c.index))], ignore_unavailable: true });
    const classes = new Map<string, string[]>();
    let events = 0;
    let evaluatorMismatch = 0;
    cases.forEach((c, i) => {
      events += c.events.length;
      const got = oursHits[i] as Set<number>;
      const orig = originalHits[i] as Set<number>;
      c.events.forEach((e, n) => {
        if (evaluate(c.rule.query, e) === got.has(n)) return;
        evaluatorMismatch++;
        console.log(`our Query DSL and the evaluator differ: ${c.rule.name}, event ${JSON.stringify(e)}, evaluator ${!got.has(n)}`);
      });
      const differ = orig.has(-1) || c.events.some((_, n) => got.has(n) !== orig.has(n));
      if (!differ) return;
      const cls = classify(c, orig);
      if (process.env.SIEMC_DEBUG !== undefined) {
        const n = c.events.findIndex((_, k) => got.has(k) !== orig.has(k));
        console.log(`${cls}: ${c.rule.name}\n  ${c.rule.elastic?.originalQuery}\n  event ${JSON.stringify(c.events[n])}: ours ${got.has(n)}, original ${orig.has(n)}`);
      }
      classes.set(cls, [...(classes.get(cls) ?? []), c.rule.name]);
    });
    const agreeing = cases.length - [...classes.values()].reduce((n, l) => n + l.length, 0);
    console.log(
      `elastic round trip: ${cases.length} rules (${cases.filter((c) => c.language === 'kuery').length} KQL, ${cases.filter((c) => c.language === 'eql').length} EQL), ` +
        `${events} witness events in ${new Set(cases.map((c) => c.index)).size} indexes (${multiFields.length} rules on multi-fields not run: ${multiFields.join('; ')}), ` +
        `our Query DSL vs evaluator: ${evaluatorMismatch} disagreeing events; original vs ours: ${agreeing} rules agree on every event` +
        [...classes].map(([k, v]) => `\n  ${v.length} rule(s) ${k} (${EXPLAINED.get(k) ?? 'unexplained'}): ${v.join('; ')}`).join(''),
    );
    expect(evaluatorMismatch).toBe(0);
    expect([...classes.keys()].filter((k) => !EXPLAINED.has(k))).toEqual([]);
  }, 600_000);
});

/**
 * Disagreement classes between the original query and ours, each an Elasticsearch `kql` query
 * divergence from Kibana found by this test (the detection engine runs Kibana's translation,
 * which our IR follows); anything else fails the test.
 */
const EXPLAINED = new Map<string, string>([
  [
    'kql: an escaped character in a wildcard value',
    "Elasticsearch's kql query keeps the backslash of `system\\:*` in the wildcard it builds, so it matches nothing; Kibana unescapes it (query_string `system\\:*` is system:...)",
  ],
  [
    'kql: \\u without four hex digits',
    'Elasticsearch\'s kql query refuses `"C:\\Program Files\\WinRAR\\uninstall.exe"` (a unicode escape without hex digits) and the search fails; Kibana reads the backslash as itself',
  ],
  [
    'kql: and/or without parentheses',
    "Elasticsearch's kql query reads `a and b or c` as `a and (b or c)`; Kibana's grammar (and the KQL docs) as `(a and b) or c`",
  ],
]);

/** Whether the KQL has an `or` with an unparenthesised `and` operand. */
function mixesAndOr(text: string, node: KqlAst = parseKql(text)): boolean {
  switch (node.kind) {
    case 'or':
      return node.children.some((c) => (c.kind === 'and' && !/\(\s*$/.test(text.slice(0, c.at))) || mixesAndOr(text, c));
    case 'and':
      return node.children.some((c) => mixesAndOr(text, c));
    case 'not':
      return mixesAndOr(text, node.child);
    case 'nested':
      return mixesAndOr(text, node.query);
    case 'is':
    case 'range':
      return false;
    default:
      return assertNever(node, 'KQL node');
  }
}

function classify(c: Case, orig: Set<number>): string {
  const lang = c.language === 'kuery' ? 'kql' : 'eql';
  const text = c.rule.elastic?.originalQuery ?? '';
  if (orig.has(-1)) return lang === 'kql' && /\\u(?![0-9a-fA-F]{4})/.test(text) ? 'kql: \\u without four hex digits' : `${lang}: the search failed`;
  if (lang === 'kql' && mixesAndOr(text)) return 'kql: and/or without parentheses';
  if (lang === 'kql' && /(^|[\s(:])[^\s"()]*\\[^\s()]*\*/.test(text)) return 'kql: an escaped character in a wildcard value';
  return `${lang}: different hits`;
}
