/** Shared set-up for live tests: the cluster from ES_URL, and a hard failure in CI when there is none. */
import { afterAll, beforeAll, it } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { connect, indexEvents, type LabelledEvent } from '../../src/live/check.js';
import type { Rule } from '../../src/dsl/rule.js';
import type { Field } from '../../src/ir/nodes.js';
import { REFERENCE_RULE_ID, referenceEdgeCases } from './rules.js';

export const ES_URL = process.env.ES_URL;
export const LIVE = ES_URL !== undefined;

/** An index name no other run uses: test runs of several checkouts may share one node. */
export function uniqueIndex(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

/** In CI a missing node is a failure, not a skip (issue 4). Call at the top level of a live test file. */
export function requireNodeInCi(): void {
  if (!LIVE && process.env.CI === 'true') {
    it('has a live Elasticsearch (CI=true requires one; npm test starts it)', () => {
      throw new Error('ES_URL is not set: no Elasticsearch node for the live tests');
    });
  }
}

let client: Client | undefined;
export function esClient(): Client {
  if (ES_URL === undefined) throw new Error('ES_URL is not set');
  client ??= connect(ES_URL);
  return client;
}

export async function esVersion(): Promise<string> {
  const info = await esClient().nodes.info({ metric: 'settings' });
  return Object.values(info.nodes).map((n) => n.version)[0] ?? 'unknown';
}

/** A rule's test events, and for the reference rule the independent edge cases, with stable ids. */
export function ruleEvents(rule: Rule): LabelledEvent[] {
  return [
    ...rule.tests.map((t, i) => ({ id: `test-${i}`, name: t.name, event: t.event })),
    ...(rule.id === REFERENCE_RULE_ID ? referenceEdgeCases.map((c, i) => ({ id: `edge-${i}`, name: c.name, event: c.event })) : []),
  ];
}

/** Creates `index` holding the events before the enclosing suite's tests, and deletes it after them. */
export function useIndex(index: string, fields: readonly Field[], events: readonly LabelledEvent[]): void {
  beforeAll(async () => {
    await indexEvents(esClient(), index, fields, events);
  });
  afterAll(async () => {
    await esClient().indices.delete({ index, ignore_unavailable: true });
  });
}
