/**
 * Splunk Enterprise Security's correlation-search settings for a rule: the MITRE ATT&CK
 * annotations, the notable event, and the risk objects that the risk action scores.
 * Field names are the rule's ECS names, which is what the search returns (siemc's SPL searches
 * the indexed ECS events as they are).
 */
import type { Rule } from '../../model/rule.js';
import { fieldsOf } from '../../ir/fields.js';
import { normalize } from '../../ir/normalize.js';
import { exactValue, isExact } from '../../ir/pattern.js';
import { ruleStatus, runtime, techniqueIds } from '../rule-values.js';

/** ES security domains, and the ECS event categories each covers. */
const DOMAINS = ['access', 'endpoint', 'network', 'threat', 'identity', 'audit'] as const;
const DOMAIN_BY_CATEGORY: { readonly [category: string]: (typeof DOMAINS)[number] } = {
  authentication: 'access',
  iam: 'identity',
  network: 'network',
  process: 'endpoint',
  file: 'endpoint',
  registry: 'endpoint',
  library: 'endpoint',
  driver: 'endpoint',
  configuration: 'audit',
};

/** `Domain: Endpoint` among the tags when it names an ES domain, else from `event.category`, else `threat`. */
export function securityDomain(rule: Rule): string {
  for (const tag of rule.tags) {
    const m = /^Domain:\s*(\w+)$/i.exec(tag);
    const domain = DOMAINS.find((d) => d === m?.[1]?.toLowerCase());
    if (domain !== undefined) return domain;
  }
  const query = normalize(rule.query);
  for (const c of query.kind === 'and' ? query.children : [query]) {
    if (c.kind !== 'match' || c.field.name !== 'event.category' || c.patterns.length !== 1) continue;
    const pattern = c.patterns[0];
    const domain = pattern !== undefined && isExact(pattern) ? DOMAIN_BY_CATEGORY[exactValue(pattern).toLowerCase()] : undefined;
    if (domain !== undefined) return domain;
  }
  return 'threat';
}

/** The risk objects: the host and the user of every event; ES skips one a result lacks. */
const RISK_OBJECTS = [
  { field: 'host.name', type: 'system' },
  { field: 'user.name', type: 'user' },
] as const;

/** Threat objects (ES 7.1+): what the event points at, for the fields the rule itself reads. */
const THREAT_OBJECTS: { readonly [field: string]: string } = {
  'dns.question.name': 'domain',
  'url.domain': 'domain',
  'url.full': 'url',
  'destination.ip': 'ip_address',
  'source.ip': 'ip_address',
  'process.name': 'process_name',
  'process.executable': 'process',
  'process.command_line': 'command',
  'file.name': 'file_name',
  'file.hash.sha256': 'file_hash',
  'registry.path': 'registry_path',
};

export interface CorrelationSearch {
  /** `{"mitre_attack": [...]}`: technique and sub-technique ids (ES maps them to tactics). */
  readonly annotations: string;
  /** `{"detection_id": ..., "detection_version": ..., "deprecated": ...}` as ES content carries it. */
  readonly metadata: string;
  /** The risk action's `_risk` list: risk objects with the rule's score, then threat objects. */
  readonly risk: string;
  readonly riskMessage: string;
  readonly securityDomain: string;
}

export function correlationSearch(rule: Rule, version: number): CorrelationSearch {
  const score = runtime(rule).riskScore;
  const read = new Set(fieldsOf(normalize(rule.query)).map((f) => f.name));
  const risk = [
    ...RISK_OBJECTS.map((o) => ({ risk_object_field: o.field, risk_object_type: o.type, risk_score: score })),
    ...Object.keys(THREAT_OBJECTS)
      .filter((f) => read.has(f))
      .map((f) => ({ threat_object_field: f, threat_object_type: THREAT_OBJECTS[f] ?? '' })),
  ];
  return {
    annotations: JSON.stringify({ mitre_attack: techniqueIds(rule.mitre) }),
    metadata: JSON.stringify({ detection_id: rule.id, detection_version: String(version), deprecated: ruleStatus(rule) === 'deprecated' ? '1' : '0' }),
    risk: JSON.stringify(risk),
    riskMessage: `${rule.name} on host $host.name$`,
    securityDomain: securityDomain(rule),
  };
}
