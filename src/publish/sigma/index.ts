/**
 * Sigma rules, one file per rule, named by SigmaHQ's convention: `<log source prefix>_<title>.yml`
 * in lower case with `_`, e.g. `dns_query_win_connection_to_commonly_abused_web_services.yml`
 * (SigmaHQ's tests accept `[a-z0-9_]{10,90}\.yml`).
 */
import { sigma } from '../../backends/sigma/index.js';
import { parse } from 'yaml';
import { impliedConditions, logSource, taxonomyName, withoutImplied, type LogSource } from '../../backends/sigma/metadata.js';
import type { ProjectConfig, SigmaMode } from '../../config.js';
import { fieldsOf } from '../../ir/fields.js';
import type { Rule } from '../../model/rule.js';
import { normalize } from '../../ir/normalize.js';
import type { PublishContext, PublishedRule, Publisher } from '../publisher.js';
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
 * Published Sigma is compiled with Sigma's vocabulary: taxonomy field names, the conditions the
 * log source states lifted into `logsource`, and `publish.sigma.mode` (portable unless the
 * project says exact). Snapshots keep the project's own `sigma` settings.
 */
export function sigmaPublishConfig(config: ProjectConfig): ProjectConfig {
  return { ...config, sigma: { ...config.sigma, fieldNames: 'sigma', idiom: 'sigmahq', mode: publishedMode(config) } };
}

export function publishedMode(config: ProjectConfig): SigmaMode {
  return config.publish?.sigma?.mode ?? 'portable';
}

/** The backend writes `status: stable`; the published file carries the rule's own status. */
export function withStatus(yaml: string, rule: Rule): string {
  return yaml.replace(/^status: .*$/m, `status: ${ruleStatus(rule)}`);
}

/**
 * The fields a published rule names by their ECS name because its log source's taxonomy has no
 * name for them: SigmaHQ's validators report exactly these as unknown fields.
 */
export function fieldsWithoutTaxonomyName(rule: Rule): { readonly source: LogSource; readonly fields: readonly string[] } {
  const query = normalize(rule.query);
  const source = logSource(query);
  if (source.category === undefined) return { source, fields: [] };
  const body = withoutImplied(query, impliedConditions(query, source));
  return { source, fields: fieldsOf(body).map((f) => f.name).filter((f) => taxonomyName(f, source) === undefined) };
}

/** The pySigma backends siemc checks published rules with. */
export type PySigmaBackend = 'splunk' | 'lucene' | 'eql';

/**
 * What pySigma 1.5.1's backends do with the forms only exact Sigma uses (measured in
 * test/publish/sigma-pysigma.test.ts): Splunk and Lucene refuse `|cased` on one value, EQL refuses
 * `|exists`; all three drop `|cased` from a list of values without a word (and match ignoring
 * case), and EQL compares a `|cased` value with a wildcard by `==`, reading the wildcard literally.
 */
export interface PySigmaGaps {
  readonly refused: { readonly [backend in PySigmaBackend]: readonly string[] };
  readonly caseIgnored: readonly string[];
  readonly eqlLiteralWildcard: readonly string[];
}

export function pySigmaGaps(yaml: string): PySigmaGaps {
  const detection = (parse(yaml) as { detection?: { [name: string]: unknown } }).detection ?? {};
  const refusedCased = new Set<string>();
  const refusedExists = new Set<string>();
  const caseIgnored = new Set<string>();
  const literalWildcard = new Set<string>();
  const wildcard = /(^|[^\\])(\\\\)*[*?]/;
  const scan = (selection: unknown): void => {
    if (Array.isArray(selection)) selection.forEach(scan);
    else if (typeof selection === 'object' && selection !== null)
      for (const [key, value] of Object.entries(selection)) {
        const [field = '', ...modifiers] = key.split('|');
        if (modifiers.includes('exists')) refusedExists.add(field);
        if (!modifiers.includes('cased')) continue;
        if (Array.isArray(value)) caseIgnored.add(field);
        else {
          refusedCased.add(field);
          if (modifiers.some((m) => m === 'startswith' || m === 'endswith' || m === 'contains') || wildcard.test(String(value))) literalWildcard.add(field);
        }
      }
  };
  for (const [name, selection] of Object.entries(detection)) if (name !== 'condition') scan(selection);
  const cased = [...refusedCased];
  return { refused: { splunk: cased, lucene: cased, eql: [...refusedExists] }, caseIgnored: [...caseIgnored], eqlLiteralWildcard: [...literalWildcard] };
}

function report(r: PublishedRule, text: string, context: PublishContext): void {
  const { source, fields } = fieldsWithoutTaxonomyName(r.rule);
  const where = [source.category, source.product].filter((x) => x !== undefined).join('/');
  for (const field of fields) {
    context.report({
      code: 'SIEMC-P003',
      severity: 'warning',
      rule: r.rule.id,
      message: `field "${field}" has no Sigma taxonomy name under logsource ${where}; it is published with its ECS name, which SigmaHQ's validators report as unknown`,
    });
  }
  const gaps = pySigmaGaps(text);
  const hint = publishedMode(context.config) === 'exact' ? '; publish.sigma.mode "portable" writes forms they convert' : '';
  const refusing = (['splunk', 'lucene', 'eql'] as const).filter((b) => gaps.refused[b].length > 0);
  if (refusing.length > 0) {
    const why = [
      gaps.refused.splunk.length === 0 ? undefined : `splunk and lucene refuse \`|cased\` on ${gaps.refused.splunk.join(', ')}`,
      gaps.refused.eql.length === 0 ? undefined : `eql refuses \`|exists\` on ${gaps.refused.eql.join(', ')}`,
    ].filter((x) => x !== undefined);
    context.report({ code: 'SIEMC-P004', severity: 'warning', rule: r.rule.id, message: `refused by pySigma backends ${refusing.join(', ')}: ${why.join('; ')}${hint}` });
  }
  const differ = [
    gaps.caseIgnored.length === 0 ? undefined : `all three drop \`|cased\` from the value lists of ${gaps.caseIgnored.join(', ')} and match them ignoring case (more events)`,
    gaps.eqlLiteralWildcard.length === 0 ? undefined : `eql compares ${gaps.eqlLiteralWildcard.join(', ')} with == and reads its wildcards literally (fewer events)`,
  ].filter((x) => x !== undefined);
  if (differ.length > 0) context.report({ code: 'SIEMC-P005', severity: 'warning', rule: r.rule.id, message: `pySigma's backends convert this rule to other searches: ${differ.join('; ')}${hint}` });
}

export const sigmaPublisher: Publisher = {
  name: 'sigma',
  title: 'Sigma rules, named by SigmaHQ convention',
  versionedPackage: false,
  compileConfig: sigmaPublishConfig,
  backendsFor: () => [sigma],
  render(rules, context) {
    const names = distinctNames(
      rules.map((r) => r.rule),
      sigmaFileName,
      (name, r) => name.replace(/\.yml$/, `_${r.id.slice(0, 8)}.yml`),
    );
    return new Map(
      rules.map((r) => {
        const text = withStatus(r.query(sigma), r.rule);
        report(r, text, context);
        return [names.get(r.rule) ?? sigmaFileName(r.rule), text];
      }),
    );
  },
};
