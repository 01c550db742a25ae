/**
 * Indexing corpus events for Sigma rules on the live node: one index per run (a unique name,
 * deleted after), many rules' events in it, each document tagged with the case it belongs to, so
 * a rule's search is filtered to its own events and all searches go out through _msearch.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Json } from '../../src/eval/values.js';
import { familyOf, type Field } from '../../src/ir/nodes.js';
import { coreType, mappingFor } from '../../src/live/mapping.js';

/** The keyword field that says which case (rule) a document was indexed for. */
export const CASE_FIELD = 'siemc_case';

type Properties = { [name: string]: Mapping };
type Mapping = { type?: string; properties?: Properties; [other: string]: unknown };

/**
 * Mappings for the fields the rules read (their ECS types), plus `extra` properties. Numbers,
 * addresses and dates get `ignore_malformed`: real events carry values such as `0x1a2c` in a
 * field ECS types as a number (Security's NewProcessId is process.pid). Such a value is kept in
 * _source but not indexed, so the document is indexed instead of refused; the evaluator reads it
 * as not a number too (docs/semantics.md).
 */
export function corpusMapping(fields: readonly Field[], extra: Properties = {}): { dynamic: boolean | 'strict'; properties: Properties } {
  const base = mappingFor(fields) as { dynamic: false; properties: Properties };
  const malformed = new Set(fields.filter((f) => ['number', 'ip', 'date'].includes(familyOf(f.type))).map((f) => f.name));
  const walk = (props: Properties, prefix: string): void => {
    for (const [name, m] of Object.entries(props)) {
      const full = `${prefix}${name}`;
      if (m.properties !== undefined) walk(m.properties, `${full}.`);
      else if (malformed.has(full) && m.type !== undefined && m.type === coreType(fields.find((f) => f.name === full)?.type ?? 'keyword')) m.ignore_malformed = true;
    }
  };
  walk(base.properties, '');
  return { dynamic: false, properties: { ...base.properties, ...extra, [CASE_FIELD]: { type: 'keyword' } } };
}

export interface Doc {
  readonly id: string;
  readonly caseId: string;
  readonly event: Json;
}

/** Creates the index and bulk-indexes the documents (in chunks), refreshing once. */
export async function indexDocs(client: Client, index: string, mappings: object, docs: readonly Doc[], settings: object = {}): Promise<void> {
  await client.indices.create({
    index,
    mappings: mappings as never,
    settings: { number_of_shards: 1, number_of_replicas: 0, 'index.mapping.total_fields.limit': 20_000, 'index.max_result_window': 50_000, ...settings } as never,
  });
  for (let i = 0; i < docs.length; i += 2000) {
    const operations = docs.slice(i, i + 2000).flatMap((d) => [{ index: { _index: index, _id: d.id } }, { ...(d.event as object), [CASE_FIELD]: d.caseId }]);
    const res = await client.bulk({ operations });
    if (res.errors) {
      const bad = res.items.filter((it) => it.index?.error !== undefined).slice(0, 3);
      throw new Error(`bulk indexing failed: ${JSON.stringify(bad)}`);
    }
  }
  await client.indices.refresh({ index });
}

/** A search per case (its query filtered to its documents), through _msearch; ids per case, or the error text. */
export async function searchCases(client: Client, index: string, searches: readonly { caseId: string; query: unknown }[]): Promise<(Set<string> | string)[]> {
  const out: (Set<string> | string)[] = [];
  for (let i = 0; i < searches.length; i += 100) {
    const chunk = searches.slice(i, i + 100);
    const body = chunk.flatMap((s) => [{ index }, { size: 10_000, _source: false, query: { bool: { filter: [{ term: { [CASE_FIELD]: s.caseId } }, s.query] } } }]);
    const res = await client.msearch({ searches: body as never });
    for (const r of res.responses) out.push('error' in r ? JSON.stringify(r.error).slice(0, 400) : new Set(r.hits.hits.map((h) => h._id ?? '')));
  }
  return out;
}

/** A failed search's class: Lucene's determinization limit, or anything else. */
export function failureClass(error: string): string {
  return /Determinizing automaton .* would require more than \d+ effort/.test(error) ? 'regexp too complex to determinize' : 'search failed';
}
