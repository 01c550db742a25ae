/**
 * One detection-rules TOML file to a rule: metadata (metadata.ts), the query through the EQL or
 * KQL frontend, the rule's Kibana filters ANDed in, and the type's own parameters kept in
 * `rule.elastic`. Every problem is a diagnostic (codes in docs/importing-elastic.md); nothing
 * here throws for bad input.
 */
import { parse as parseToml } from 'smol-toml';
import type { Diagnostic } from '../../diagnostics.js';
import type { Node } from '../../ir/nodes.js';
import { setOrigin } from '../../ir/origins.js';
import type { SourceLocation } from '../../model/location.js';
import type { ElasticRuleParameters, Rule } from '../../model/rule.js';
import { FieldSchema, type DeclaredFields } from '../../schema/fields.js';
import { EqlSyntaxError } from '../eql/errors.js';
import { conjunction } from '../eql/lower.js';
import { parseEql } from '../eql/parse.js';
import { KqlUnsupported, kqlToIr } from '../kql/index.js';
import { filtersToIr, FilterUnsupported } from './filters.js';
import { isTable, MetadataError, ruleMetadata, type Table } from './metadata.js';
import { offsetOf, tomlSource, type TomlSource } from './toml-source.js';
import type { DiagnosticCode } from '../../codes.js';

export interface ElasticImportOptions {
  /** Field types beyond ECS (siemc.config.json `fields`). */
  readonly fields?: DeclaredFields;
}

export interface ConvertResult {
  readonly rule?: Rule;
  readonly diagnostics: readonly Diagnostic[];
}

/** Why a rule type (or EQL form) is not imported: the IR holds one event's condition. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  esql: 'ES|QL rules are pipelines (aggregation, evaluation), not one-event conditions',
  machine_learning: 'machine-learning rules alert on anomaly-detection jobs, not on a query',
  threat_match: 'indicator-match rules join events with a threat-intelligence index',
  sequence: 'EQL sequences relate several events in order',
  sample: 'EQL samples relate several events',
  join: 'EQL joins relate several events',
  lucene: 'Lucene query syntax is not imported (only KQL and EQL)',
};

/** Comments stripped, the first word of an EQL query: sequence, sample, join or a category. */
function eqlForm(query: string): string {
  const stripped = query.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  return /^\s*([A-Za-z_]+)/.exec(stripped)?.[1]?.toLowerCase() ?? '';
}

export function convertElasticToml(file: string, text: string, options: ElasticImportOptions = {}): ConvertResult {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    const m = /line (\d+), col (\d+)/.exec((e as Error).message);
    const location: SourceLocation = { file, line: m === null ? 1 : Number(m[1]), column: m === null ? 1 : Number(m[2]) };
    return { diagnostics: [{ code: 'SIEMC-I201', severity: 'error', message: `not valid TOML: ${(e as Error).message.split('\n')[0] ?? ''}`, location }] };
  }
  const rule = isTable(doc.rule) ? doc.rule : undefined;
  const query = typeof rule?.query === 'string' ? rule.query : undefined;
  const source = tomlSource(file, text, query);
  if (rule === undefined) return { diagnostics: [{ code: 'SIEMC-I201', severity: 'error', message: 'no [rule] table: not a detection rule', location: source.rule }] };
  const diagnostics: Diagnostic[] = [];
  const id = typeof rule.rule_id === 'string' ? rule.rule_id : undefined;
  const fail = (code: DiagnosticCode, message: string, location: SourceLocation = source.query ?? source.rule): ConvertResult => ({
    diagnostics: [...diagnostics, { code, severity: 'error', message, ...(id === undefined ? {} : { rule: id }), location }],
  });

  let metadata;
  try {
    metadata = ruleMetadata(isTable(doc.metadata) ? doc.metadata : {}, rule, source.rule, diagnostics);
  } catch (e) {
    if (e instanceof MetadataError) return fail('SIEMC-I201', e.message, source.rule);
    throw e;
  }

  const type = String(rule.type);
  const language = typeof rule.language === 'string' ? rule.language : undefined;
  const typeName = `${type}${language === undefined ? '' : `/${language}`}`;
  const notImported = NOT_IMPORTED[type] ?? (language === 'lucene' ? NOT_IMPORTED.lucene : undefined);
  if (notImported !== undefined) return fail('SIEMC-I202', `${typeName} rule not imported: ${notImported}`, source.rule);
  if (query === undefined) return fail('SIEMC-I201', `${typeName} rule has no query`, source.rule);
  const schema = new FieldSchema(options.fields);
  let node: Node;
  let elastic: ElasticRuleParameters;
  const eventCategoryOverride = typeof rule.event_category_override === 'string' ? rule.event_category_override : undefined;
  if (type === 'eql' && language === 'eql') {
    const form = eqlForm(query);
    if (NOT_IMPORTED[form] !== undefined) return fail('SIEMC-I202', `eql rule not imported: ${NOT_IMPORTED[form]}`, source.query);
    try {
      node = parseEql(query, schema.typeOf, eventCategoryOverride === undefined ? {} : { categoryField: eventCategoryOverride });
    } catch (e) {
      if (!(e instanceof EqlSyntaxError)) throw e;
      const at = source.locateInQuery(offsetOf(query, e.line, e.column));
      return fail('SIEMC-I203', `EQL query not imported: ${e.message.replace(/^line \d+:\d+: /, '')}`, at);
    }
    elastic = { type: 'eql', language: 'eql', originalQuery: query };
  } else if ((type === 'query' || type === 'new_terms' || type === 'threshold') && language === 'kuery') {
    try {
      node = kqlToIr(query, {
        fieldType: schema.typeOf,
        locate: source.locateInQuery,
        warn: (w) => diagnostics.push({ code: w.code, severity: 'warning', message: w.message, rule: metadata.id, ...located(source.locateInQuery(w.offset)) }),
      });
    } catch (e) {
      if (e instanceof KqlUnsupported) return fail('SIEMC-I203', `KQL query not imported: ${e.message}`, source.locateInQuery(e.offset));
      if (e instanceof EqlSyntaxError) return fail('SIEMC-I203', `KQL query not imported: ${e.message.replace(/^line \d+:\d+: /, '')}`, source.locateInQuery(offsetOf(query, e.line, e.column)));
      throw e;
    }
    elastic = { type, language: 'kuery', originalQuery: query, ...typeParameters(type, rule, diagnostics, metadata.id, source) };
  } else {
    return fail('SIEMC-I202', `${typeName} rule not imported: only eql, and query, new_terms and threshold rules in KQL are`, source.rule);
  }
  setOrigin(node, source.locateInQuery(0));

  if (rule.filters !== undefined) {
    try {
      const filters = filtersToIr(rule.filters, schema.typeOf);
      for (const n of filters.notes) diagnostics.push({ code: 'SIEMC-I209', severity: 'warning', message: n, rule: metadata.id, location: source.rule });
      node = conjunction([node, ...filters.nodes]);
    } catch (e) {
      if (e instanceof FilterUnsupported) return fail('SIEMC-I208', `rule filters not imported: ${e.message}`, source.rule);
      throw e;
    }
  }
  if (Array.isArray(rule.exceptions_list) && rule.exceptions_list.length > 0) {
    diagnostics.push({
      code: 'SIEMC-I211',
      severity: 'warning',
      message: `the rule's ${rule.exceptions_list.length} exception list(s) live in Kibana and are not imported: outputs match events the exceptions would suppress`,
      rule: metadata.id,
      direction: 'widened',
      location: source.rule,
    });
  }
  const unknown = schema.unknownFields();
  if (unknown.length > 0) {
    diagnostics.push({
      code: 'SIEMC-I206',
      severity: 'warning',
      message: `field(s) neither in ECS nor declared in siemc.config.json fields, read as keyword: ${unknown.join(', ')}`,
      rule: metadata.id,
      location: source.query ?? source.rule,
    });
  }
  const timestampOverride = typeof rule.timestamp_override === 'string' ? rule.timestamp_override : undefined;
  const buildingBlockType = typeof rule.building_block_type === 'string' ? rule.building_block_type : undefined;
  elastic = {
    ...elastic,
    ...(timestampOverride === undefined ? {} : { timestampOverride }),
    ...(eventCategoryOverride === undefined ? {} : { eventCategoryOverride }),
    ...(buildingBlockType === undefined ? {} : { buildingBlockType }),
  };
  const imported: Rule = {
    kind: 'siemc.rule',
    ...metadata,
    elastic,
    query: node,
    tests: [],
    provenance: { kind: 'elastic', location: source.rule },
    location: source.rule,
  };
  return { rule: imported, diagnostics };
}

function located(at: SourceLocation | undefined): { location?: SourceLocation } {
  return at === undefined ? {} : { location: at };
}

/** new_terms and threshold parameters, and the warning that alerts are fewer than the output's hits. */
function typeParameters(type: string, rule: Table, diagnostics: Diagnostic[], id: string, source: TomlSource): Partial<ElasticRuleParameters> {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const note = (message: string) => diagnostics.push({ code: 'SIEMC-I210', severity: 'warning', message, rule: id, direction: 'widened', location: source.rule });
  if (type === 'new_terms' && isTable(rule.new_terms)) {
    const nt = rule.new_terms;
    const windows = Array.isArray(nt.history_window_start) ? nt.history_window_start : [];
    const first: unknown = windows[0];
    const historyWindowStart = isTable(first) && typeof first.value === 'string' ? first.value : '';
    const fields = strings(nt.value);
    note(`new_terms rule: outputs select the events its query matches; Kibana alerts only when ${fields.join(', ')} take a value not seen since ${historyWindowStart} (kept in rule.elastic.newTerms)`);
    return { newTerms: { fields, historyWindowStart } };
  }
  if (type === 'threshold' && isTable(rule.threshold)) {
    const t = rule.threshold;
    const cardinality = (Array.isArray(t.cardinality) ? t.cardinality : [])
      .filter(isTable)
      .flatMap((c) => (typeof c.field === 'string' && typeof c.value === 'number' ? [{ field: c.field, value: c.value }] : []));
    const value = typeof t.value === 'number' ? t.value : 1;
    const field = strings(t.field);
    note(`threshold rule: outputs select the events its query matches; Kibana alerts only for groups${field.length > 0 ? ` by ${field.join(', ')}` : ''} of at least ${value} events (kept in rule.elastic.threshold)`);
    return { threshold: { field, value, ...(cardinality.length === 0 ? {} : { cardinality }) } };
  }
  return {};
}
