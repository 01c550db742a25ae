/**
 * Rule metadata in Sigma's vocabulary: ATT&CK tags, the log source, the level, and the field
 * names of Sigma's taxonomy (used only when the project asks for them).
 */
import type { MitreTactic, Rule } from '../../model/rule.js';
import { exactValue, isExact, type Pattern } from '../../ir/pattern.js';
import type { Node } from '../../ir/nodes.js';
import { ecsFieldForSigma, sigmaFieldForEcs } from '../../schema/sigma-taxonomy.js';

/** `attack.<tactic-name-in-kebab-case>`, then `attack.t1234` and `attack.t1234.001` for its techniques. */
export function attackTags(mitre: readonly MitreTactic[]): string[] {
  const tags: string[] = [];
  const add = (tag: string): void => {
    if (!tags.includes(tag)) tags.push(tag);
  };
  for (const { tactic, techniques } of mitre) {
    add(`attack.${tactic.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`);
    for (const technique of techniques) {
      add(`attack.${technique.id.toLowerCase()}`);
      for (const sub of technique.subtechniques ?? []) add(`attack.${sub.id.toLowerCase()}`);
    }
  }
  return tags;
}

/** Sigma levels have the same names as the rule's severities. */
export function sigmaLevel(rule: Rule): string {
  return rule.severity;
}

export interface LogSource {
  readonly category?: string;
  readonly product?: string;
}

/**
 * The values a top-level conjunct pins a field to: `f == "x"` (case-sensitive or not) with
 * exact values only. Other shapes pin nothing.
 */
function pinnedValues(query: Node, field: string): string[] | undefined {
  const conjuncts = query.kind === 'and' ? query.children : [query];
  for (const c of conjuncts) {
    if (c.kind === 'match' && c.field.name === field && c.patterns.every(isExact)) {
      return c.patterns.map((p: Pattern) => exactValue(p).toLowerCase());
    }
  }
  return undefined;
}

/** ECS `event.category` -> Sigma log source category (generic Sigma categories). */
const CATEGORIES: { readonly [ecs: string]: string } = {
  process: 'process_creation',
  network: 'network_connection',
  file: 'file_event',
  registry: 'registry_event',
  library: 'image_load',
  driver: 'driver_load',
};

/** ECS `host.os.type` -> Sigma product. */
const PRODUCTS: { readonly [ecs: string]: string } = { windows: 'windows', linux: 'linux', macos: 'macos' };

/**
 * The log source is derived from conditions the detection also states, so it only documents
 * (and lets a pipeline pre-filter) what the detection already requires:
 * - product from `host.os.type` (windows, linux, macos);
 * - category from `event.category` (table above), except that a `network` event whose
 *   `network.protocol` is `dns` is a DNS lookup: `dns_query` (the per-host lookup log, as Sysmon
 *   event 22 on Windows) when a product is known, else `dns` (network DNS logs);
 * - when nothing can be derived, `product: elastic` (the rules read Elastic-indexed ECS data).
 * Only a single pinned value is used; a list (`event.category in (...)`) pins nothing.
 */
export function logSource(query: Node): LogSource {
  const single = (field: string): string | undefined => {
    const values = pinnedValues(query, field);
    return values?.length === 1 ? values[0] : undefined;
  };
  const product = PRODUCTS[single('host.os.type') ?? ''];
  const eventCategory = single('event.category');
  let category = CATEGORIES[eventCategory ?? ''];
  if (eventCategory === 'network' && single('network.protocol') === 'dns') category = product === undefined ? 'dns' : 'dns_query';
  if (category === undefined && product === undefined) return { product: 'elastic' };
  return { ...(category === undefined ? {} : { category }), ...(product === undefined ? {} : { product }) };
}

/**
 * ECS -> Sigma taxonomy field names, per log source category. Kept small: only fields that
 * carry the same value in both schemas (a full path in `Image`, the queried name in
 * `QueryName`, ...). Fields without an entry keep their ECS name.
 */
export const SIGMA_FIELD_NAMES: { readonly [category: string]: { readonly [ecs: string]: string } } = {
  dns_query: {
    'dns.question.name': 'QueryName',
    'process.executable': 'Image',
    'process.pid': 'ProcessId',
  },
  dns: {
    'dns.question.name': 'query',
  },
  process_creation: {
    'process.executable': 'Image',
    'process.command_line': 'CommandLine',
    'process.pid': 'ProcessId',
    'process.working_directory': 'CurrentDirectory',
    'process.pe.original_file_name': 'OriginalFileName',
    'process.parent.executable': 'ParentImage',
    'process.parent.command_line': 'ParentCommandLine',
    'process.parent.pid': 'ParentProcessId',
  },
  network_connection: {
    'process.executable': 'Image',
    'source.ip': 'SourceIp',
    'source.port': 'SourcePort',
    'destination.ip': 'DestinationIp',
    'destination.port': 'DestinationPort',
    'destination.domain': 'DestinationHostname',
  },
  file_event: {
    'process.executable': 'Image',
    'file.path': 'TargetFilename',
  },
  image_load: {
    'process.executable': 'Image',
    'dll.path': 'ImageLoaded',
  },
  registry_event: {
    'process.executable': 'Image',
    'registry.path': 'TargetObject',
  },
  driver_load: {
    'dll.path': 'ImageLoaded',
  },
};

/**
 * How a field is named in the output: with `sigma`, the table above first, then the reverse of the
 * importer's taxonomy mapping (src/schema/sigma-taxonomy.ts) for the log source's product, so that
 * importing the output maps every renamed field back to the same ECS field.
 */
export function fieldNamer(mode: 'ecs' | 'sigma', source: LogSource): (ecs: string) => string {
  if (mode === 'ecs' || source.category === undefined) return (ecs) => ecs;
  const table = SIGMA_FIELD_NAMES[source.category] ?? {};
  return (ecs) => {
    const named = table[ecs];
    if (named !== undefined) return named;
    if (source.product === undefined) return ecs;
    const sigma = sigmaFieldForEcs(ecs, source);
    return sigma !== undefined && ecsFieldForSigma(sigma, source) === ecs ? sigma : ecs;
  };
}
