/**
 * Kibana: `rules.ndjson` for Security > Rules > Import (and the `_import` API), one rule a line,
 * and each rule as its own formatted JSON file for review.
 */
import { sortKeys, stableJson, visibleJson } from '../../util/stable-json.js';
import type { Publisher } from '../publisher.js';
import { kibanaBackend, kibanaRule } from './rule.js';

export const kibanaPublisher: Publisher = {
  name: 'kibana',
  title: 'Kibana detection rules (NDJSON for rule import)',
  versionedPackage: false,
  backendsFor: (rule) => [kibanaBackend(rule)],
  render(rules, context) {
    const enabled = context.config.publish?.enabled ?? false;
    const files = new Map<string, string>();
    let ndjson = '';
    for (const r of rules) {
      const object = kibanaRule(r.rule, r.query(kibanaBackend(r.rule)), { version: r.version, enabled });
      ndjson += `${visibleJson(JSON.stringify(sortKeys(object)))}\n`;
      files.set(`${r.rule.id}.json`, stableJson(object));
    }
    files.set('rules.ndjson', ndjson);
    return files;
  },
};
