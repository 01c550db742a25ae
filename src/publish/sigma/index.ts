/**
 * Sigma rules, one file per rule, named by SigmaHQ's convention: `<log source prefix>_<title>.yml`
 * in lower case with `_`, e.g. `dns_query_win_connection_to_commonly_abused_web_services.yml`
 * (SigmaHQ's tests accept `[a-z0-9_]{10,90}\.yml`).
 */
import { sigma } from '../../backends/sigma/index.js';
import { logSource } from '../../backends/sigma/metadata.js';
import type { ProjectConfig } from '../../config.js';
import type { Rule } from '../../model/rule.js';
import { normalize } from '../../ir/normalize.js';
import type { Publisher } from '../publisher.js';
import { distinctNames, ruleStatus, snakeCase } from '../rule-values.js';

/** SigmaHQ's file-name prefixes per log source category and product. */
const CATEGORY_PREFIX: { readonly [category: string]: string } = {
  process_creation: 'proc_creation',
  network_connection: 'net_connection',
  dns_query: 'dns_query',
  dns: 'net_dns',
  file_event: 'file_event',
  registry_event: 'registry_event',
  image_load: 'image_load',
  driver_load: 'driver_load',
};
const PRODUCT_PREFIX: { readonly [product: string]: string } = { windows: 'win', linux: 'lnx', macos: 'macos' };

const MAX_NAME = 90;

export function sigmaFileName(rule: Rule): string {
  const source = logSource(normalize(rule.query));
  const prefix = [
    source.category === undefined ? undefined : (CATEGORY_PREFIX[source.category] ?? snakeCase(source.category)),
    source.product === undefined ? undefined : (PRODUCT_PREFIX[source.product] ?? snakeCase(source.product)),
  ].filter((p) => p !== undefined && p !== '');
  const base = [...prefix, snakeCase(rule.name) || 'rule'].join('_');
  return `${base.slice(0, MAX_NAME).replace(/_+$/, '').padEnd(10, '_')}.yml`;
}

/**
 * Hook for the Sigma taxonomy's field names: the sigma backend renames ECS fields when the project
 * says `sigma.fieldNames: "sigma"`; a publish-only renaming (rules published with taxonomy names,
 * snapshots kept in ECS) plugs in here, as the config the backend is compiled with.
 */
export function sigmaPublishConfig(config: ProjectConfig): ProjectConfig {
  return config;
}

/** The backend writes `status: stable`; the published file carries the rule's own status. */
export function withStatus(yaml: string, rule: Rule): string {
  return yaml.replace(/^status: .*$/m, `status: ${ruleStatus(rule)}`);
}

export const sigmaPublisher: Publisher = {
  name: 'sigma',
  title: 'Sigma rules, named by SigmaHQ convention',
  versionedPackage: false,
  compileConfig: sigmaPublishConfig,
  backendsFor: () => [sigma],
  render(rules) {
    const names = distinctNames(
      rules.map((r) => r.rule),
      sigmaFileName,
      (name, r) => name.replace(/\.yml$/, `_${r.id.slice(0, 8)}.yml`),
    );
    return new Map(rules.map((r) => [names.get(r.rule) ?? sigmaFileName(r.rule), withStatus(r.query(sigma), r.rule)]));
  },
};
