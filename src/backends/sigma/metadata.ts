/**
 * Rule metadata in Sigma's vocabulary: ATT&CK tags, the log source, the level, and the field
 * names of Sigma's taxonomy (used only when the project asks for them).
 */
import type { MitreTactic, Rule } from '../../model/rule.js';
import { exactValue, isExact, type Pattern } from '../../ir/pattern.js';
import { and, type Node } from '../../ir/nodes.js';
import { ECS_VALUE_REWRITES, ecsFieldForSigma, sigmaFieldForEcs } from '../../schema/sigma-taxonomy.js';

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
 * How a field is named in the output: with `sigma`, by the taxonomy mapping the Sigma importer
 * reads (src/schema/sigma-taxonomy.ts, one table for both directions) under the log source's
 * product and category, and only when importing the name maps back to the same ECS field.
 * Fields without a taxonomy name keep their ECS name.
 */
export function fieldNamer(mode: 'ecs' | 'sigma', source: LogSource): (ecs: string) => string {
  if (mode === 'ecs' || source.category === undefined || source.product === undefined) return (ecs) => ecs;
  return (ecs) => taxonomyName(ecs, source) ?? ecs;
}

/** The Sigma taxonomy name of an ECS field under a log source, when the mapping holds both ways. */
export function taxonomyName(ecs: string, source: LogSource): string | undefined {
  // Fields whose values differ between the schemas (Sysmon `Initiated: 'true'` is ECS
  // `network.direction: egress`) would need their values rewritten too: they keep ECS names.
  if (ecs in ECS_VALUE_REWRITES) return undefined;
  const sigma = sigmaFieldForEcs(ecs, source);
  return sigma !== undefined && ecsFieldForSigma(sigma, source) === ecs ? sigma : undefined;
}

/**
 * Conditions a log source states by itself, so that a published rule says them in `logsource`
 * rather than in the detection. Lifted only when exact: a top-level conjunct (the whole rule
 * requires it), case-sensitive, with the one value the log source names. A category that Sigma
 * defines more narrowly than ECS's `event.category` also needs the `event.type` that narrows it
 * (`process_creation` is `process` + `start`); without it the conjunct stays in the detection.
 */
export function impliedConditions(query: Node, source: LogSource): ReadonlySet<Node> {
  const conjuncts = query.kind === 'and' ? query.children : [query];
  const exactly = (field: string, value: string): Node | undefined =>
    conjuncts.find(
      (c) => c.kind === 'match' && c.field.name === field && !c.caseInsensitive && c.patterns.length === 1 && c.patterns.every(isExact) && exactValue(c.patterns[0] ?? []) === value,
    );
  const lifted: Node[] = [];
  const liftAll = (nodes: readonly (Node | undefined)[]): void => {
    if (nodes.every((n) => n !== undefined)) lifted.push(...(nodes as Node[]));
  };
  if (source.product !== undefined && source.product !== 'elastic') liftAll([exactly('host.os.type', source.product)]);
  switch (source.category) {
    case undefined:
      break;
    case 'dns_query':
    case 'dns':
      liftAll([exactly('event.category', 'network'), exactly('network.protocol', 'dns')]);
      break;
    default: {
      const ecsCategory = Object.entries(CATEGORIES).find(([, c]) => c === source.category)?.[0];
      const type = CATEGORY_EVENT_TYPES[source.category];
      if (ecsCategory !== undefined) liftAll([exactly('event.category', ecsCategory), ...(type === undefined ? [] : [exactly('event.type', type)])]);
    }
  }
  // A detection needs at least one condition: a rule made only of implied ones keeps them.
  return new Set(lifted.length < conjuncts.length ? lifted : []);
}

/** Sigma categories narrower than an ECS `event.category`: the `event.type` that makes them. */
const CATEGORY_EVENT_TYPES: { readonly [category: string]: string } = {
  process_creation: 'start',
  file_event: 'creation',
};

/** The query without the lifted conjuncts. */
export function withoutImplied(query: Node, lifted: ReadonlySet<Node>): Node {
  if (lifted.size === 0 || query.kind !== 'and') return query;
  const rest = query.children.filter((c) => !lifted.has(c));
  return rest.length === 1 ? (rest[0] as Node) : and(rest, query.label);
}
