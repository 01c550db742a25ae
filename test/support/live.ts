/** Shared set-up for live tests: the cluster from ES_URL, and a hard failure in CI when there is none. */
import { it } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { connect } from '../../src/live/check.js';

export const ES_URL = process.env.ES_URL;
export const LIVE = ES_URL !== undefined;

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
