/**
 * Runs searches on a real Elasticsearch and compares the hit set, per event, with what the
 * reference evaluator says. Used by `siemc smoke` and by the live tests.
 */
import { Client } from '@elastic/elasticsearch';
import type { Json } from '../eval/values.js';
import type { Field } from '../ir/nodes.js';
import { mappingFor } from './mapping.js';

export interface LabelledEvent {
  readonly id: string;
  readonly name: string;
  readonly event: Json;
}

export interface Disagreement {
  readonly id: string;
  readonly name: string;
  readonly expected: boolean;
  readonly got: boolean;
}

export function connect(url: string): Client {
  return new Client({ node: url, requestTimeout: 60_000 });
}

/** Creates `index` with mappings for `fields`, indexes the events by id, and refreshes. */
export async function indexEvents(client: Client, index: string, fields: readonly Field[], events: readonly LabelledEvent[]): Promise<void> {
  await client.indices.delete({ index, ignore_unavailable: true });
  await client.indices.create({ index, mappings: mappingFor(fields) as never, settings: { number_of_shards: 1, number_of_replicas: 0 } });
  const operations = events.flatMap((e) => [{ index: { _index: index, _id: e.id } }, e.event as Record<string, unknown>]);
  if (operations.length > 0) {
    const res = await client.bulk({ operations, refresh: 'wait_for' });
    if (res.errors) {
      const first = res.items.find((i) => i.index?.error !== undefined)?.index;
      throw new Error(`indexing event ${first?._id ?? '?'} failed: ${JSON.stringify(first?.error)}`);
    }
  }
}

/** Ids of the documents a search body (`{"query": ...}`) selects. */
export async function hitIds(client: Client, index: string, body: { query: unknown }, size = 10_000): Promise<Set<string>> {
  const res = await client.search({ index, query: body.query as never, size, _source: false, track_total_hits: true });
  return new Set(res.hits.hits.map((h) => h._id ?? ''));
}

export function disagreements(events: readonly LabelledEvent[], expected: (e: LabelledEvent) => boolean, hits: ReadonlySet<string>): Disagreement[] {
  return events.flatMap((e) => {
    const want = expected(e);
    const got = hits.has(e.id);
    return want === got ? [] : [{ id: e.id, name: e.name, expected: want, got }];
  });
}

export function formatDisagreements(what: string, list: readonly Disagreement[]): string {
  if (list.length === 0) return `${what}: 0 disagreements`;
  return [
    `${what}: ${list.length} disagreement(s) between the evaluator and Elasticsearch`,
    ...list.map((d) => `  ${d.id} ${JSON.stringify(d.name)}: evaluator ${d.expected ? 'match' : 'no match'}, Elasticsearch ${d.got ? 'match' : 'no match'}`),
  ].join('\n');
}
