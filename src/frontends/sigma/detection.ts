/**
 * A Sigma detection to IR. Sigma's structure: a map is the AND of its fields, a list of maps the
 * OR of the maps, a field's list of values the OR of the values (AND with `|all`); `|neq` negates
 * the field's whole clause. Strings ignore case unless `|cased` (the IR folds ASCII letters only,
 * where Sigma folds all of Unicode: SIEMC-I116 names the values where that differs).
 * Field names go through the taxonomy mapping of the rule's log source (src/schema/sigma-taxonomy.ts).
 */
import { and, cidr, equals, exists, familyOf, match, not, or, range, regex, type Field, type Node } from '../../ir/nodes.js';
import { parseCidr } from '../../ir/cidr.js';
import { setOrigin } from '../../ir/origins.js';
import { ANY_RUN, exactPattern, exactValue, hasNonAsciiCasedLetters, isExact, makePattern, type Pattern } from '../../ir/pattern.js';
import type { SourceLocation } from '../../model/location.js';
import { ECS_VALUE_REWRITES, ecsFieldForSigma, mappedFieldType, WINDOWS_CHANNELS, type SigmaLogSource } from '../../schema/sigma-taxonomy.js';
import { parseCondition, type Condition } from './condition.js';
import { ImportProblem } from './problems.js';
import { lowerSigmaRegex } from './regex.js';
import { applyModifiers, scalarValue, stringPattern, type SigmaString, type SigmaValue } from './values.js';
import type { YEntry, YNode } from './yaml.js';
import type { DiagnosticCode } from '../../codes.js';

/** The field names every target can write: the same grammar as customField's (src/dsl/text-checks.ts FIELD_NAME, kept equal by a test). */
export const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_@-]*(?:\.[A-Za-z_@][A-Za-z0-9_@-]*)*$/;

export interface DetectionOptions {
  /**
   * Field-less (keyword) values search the whole event in Sigma. `message`: read them as a
   * case-insensitive "contains" on ECS `message`, the event's text (warning SIEMC-I108);
   * `refuse`: the rule is not imported (error SIEMC-I108).
   */
  readonly keywords: 'message' | 'refuse';
}

export interface Warning {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly at: SourceLocation;
}

interface Context {
  readonly source: SigmaLogSource;
  readonly options: DetectionOptions;
  warn(w: Warning): void;
  /** Sigma field -> IR field, reported once per unmapped field. */
  field(sigma: string, at: SourceLocation): Field;
}

export function lowerDetection(
  detection: YNode,
  source: SigmaLogSource,
  options: DetectionOptions,
  warn: (w: Warning) => void,
): Node {
  if (detection.kind !== 'map') throw new ImportProblem('SIEMC-I102', 'detection must be a map of selections and a condition', detection.at);
  const fields = new Map<string, Field>();
  const ctx: Context = {
    source,
    options,
    warn,
    field(sigma, at) {
      const known = fields.get(sigma);
      if (known !== undefined) return known;
      const ecs = ecsFieldForSigma(sigma, source);
      const name = ecs ?? sigma;
      if (!FIELD_NAME.test(name)) throw new ImportProblem('SIEMC-I117', `the field name ${JSON.stringify(name)} is not a dotted name of segments [A-Za-z_@][A-Za-z0-9_@-]* that every target can write`, at);
      if (ecs === undefined) {
        warn({ code: 'SIEMC-I110', message: `field ${sigma} has no ECS mapping for ${describeSource(source)}; kept as the keyword field "${sigma}"`, at });
      }
      const f: Field = Object.freeze({ name, type: mappedFieldType(name) });
      fields.set(sigma, f);
      return f;
    },
  };
  const selections = new Map<string, YEntry>();
  let condition: YEntry | undefined;
  for (const e of detection.entries) {
    if (e.key === 'condition') condition = e;
    else if (e.key === 'timeframe') warn({ code: 'SIEMC-I111', message: 'timeframe only matters for aggregations and correlations; ignored', at: e.keyAt });
    else selections.set(e.key, e);
  }
  if (condition === undefined) throw new ImportProblem('SIEMC-I102', 'detection has no condition', detection.at);
  const conditions = condition.value.kind === 'seq' ? condition.value.items : [condition.value];
  const lowered = new Map<string, Node>();
  const selection = (name: string): Node => {
    let node = lowered.get(name);
    if (node === undefined) {
      const e = selections.get(name) as YEntry;
      node = definition(e.value, ctx);
      lowered.set(name, node);
    }
    return node;
  };
  const parts = conditions.map((c) => {
    if (c.kind !== 'scalar' || typeof c.value !== 'string') throw new ImportProblem('SIEMC-I105', 'a condition is a string (or a list of strings)', c.at);
    try {
      return conditionNode(parseCondition(c.value, [...selections.keys()]), selection);
    } catch (e) {
      if (e instanceof ImportProblem && e.at === undefined) throw new ImportProblem(e.code, e.message, c.at);
      throw e;
    }
  });
  // Several conditions are several searches of one rule: an event that any of them matches.
  const query = parts.length === 1 ? (parts[0] as Node) : or(parts);
  return withChannel(query, source, ctx, condition.keyAt);
}

function describeSource(s: SigmaLogSource): string {
  const parts = [s.product === undefined ? undefined : `product ${s.product}`, s.category === undefined ? undefined : `category ${s.category}`, s.service === undefined ? undefined : `service ${s.service}`];
  const text = parts.filter((p) => p !== undefined).join(', ');
  return text === '' ? 'a log source without product, category or service' : text;
}

function conditionNode(c: Condition, selection: (name: string) => Node): Node {
  switch (c.kind) {
    case 'and':
      return and(c.children.map((x) => conditionNode(x, selection)));
    case 'or':
      return or(c.children.map((x) => conditionNode(x, selection)));
    case 'not':
      return not(conditionNode(c.child, selection));
    case 'ref':
      return selection(c.name);
    case 'of': {
      const children = c.names.map(selection);
      return c.quantifier === 'all' ? and(children) : or(children);
    }
  }
}

/** pySigma's ECS pipeline pins Windows services to their event log channels; so does the import. */
function withChannel(query: Node, source: SigmaLogSource, ctx: Context, at: SourceLocation): Node {
  if (source.product?.toLowerCase() !== 'windows' || source.service === undefined) return query;
  const channels = WINDOWS_CHANNELS[source.service.toLowerCase()];
  if (channels === undefined) return query;
  const leaf = match(ctx.field('Channel', at), channels.map(exactPattern), true);
  setOrigin(leaf, at);
  return and([leaf, query]);
}

/** A selection's body: a map (AND), a list (OR of maps and keywords) or a keyword. */
function definition(node: YNode, ctx: Context): Node {
  switch (node.kind) {
    case 'map':
      if (node.entries.length === 0) throw new ImportProblem('SIEMC-I102', 'an empty selection', node.at);
      return and(node.entries.map((e) => fieldItem(e, ctx)));
    case 'seq':
      if (node.items.length === 0) throw new ImportProblem('SIEMC-I102', 'an empty selection list', node.at);
      return or(node.items.map((i) => (i.kind === 'map' ? definition(i, ctx) : i.kind === 'seq' ? definition(i, ctx) : keywordValues([i], [], i.at, ctx))));
    case 'scalar':
      return keywordValues([node], [], node.at, ctx);
  }
}

function valuesOf(node: YNode): YNode[] {
  if (node.kind === 'seq') return [...node.items];
  return [node];
}

function fieldItem(e: YEntry, ctx: Context): Node {
  const [name = '', ...modifiers] = e.key.split('|');
  const values = valuesOf(e.value);
  for (const v of values) if (v.kind !== 'scalar') throw new ImportProblem('SIEMC-I102', `the values of ${e.key} must be scalars, not a ${v.kind === 'map' ? 'map' : 'nested list'}`, v.at);
  if (values.length === 0) throw new ImportProblem('SIEMC-I102', `${e.key} has an empty list of values`, e.keyAt);
  if (name === '') return keywordValues(values, modifiers, e.keyAt, ctx);
  const field = ctx.field(name, e.keyAt);
  const nodes = values.map((v) => {
    const value = located(() => applyModifiers(scalarOf(v), modifiers), v.at);
    return located(() => valueNode(field, value, name, v.at, ctx), v.at);
  });
  const combined = modifiers.includes('all') ? and(nodes) : or(nodes);
  return modifiers.includes('neq') ? not(combined) : combined;
}

function scalarOf(v: YNode): SigmaValue {
  if (v.kind !== 'scalar') throw new ImportProblem('SIEMC-I102', 'expected a scalar value', v.at);
  return scalarValue(v.value, v.source);
}

function located<T>(f: () => T, at: SourceLocation): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ImportProblem && e.at === undefined) throw new ImportProblem(e.code, e.message, at);
    throw e;
  }
}

const leaf = <T extends Node>(node: T, at: SourceLocation): T => {
  setOrigin(node, at);
  return node;
};

function stringsOf(v: SigmaValue): readonly SigmaString[] | undefined {
  if (v.kind === 'string') return [v];
  if (v.kind === 'expansion') return v.items;
  return undefined;
}

function valueNode(field: Field, v: SigmaValue, sigmaName: string, at: SourceLocation, ctx: Context): Node {
  const family = familyOf(field.type);
  const strings = stringsOf(v);
  if (strings !== undefined) {
    if (strings.length === 0) throw new ImportProblem('SIEMC-I106', 'the modifiers leave no value');
    return stringNode(field, strings, sigmaName, at, ctx);
  }
  switch (v.kind) {
    case 'string':
    case 'expansion':
      throw new ImportProblem('SIEMC-I106', 'unreachable');
    case 'number':
      if (family === 'number') return leaf(equals(field, v.value), at);
      if (family === 'boolean') throw new ImportProblem('SIEMC-I114', `${sigmaName} is the boolean field ${field.name}; ${v.source} is not a boolean`);
      return leaf(match(field, [exactPattern(String(v.value))], false), at);
    case 'bool': {
      if (family === 'boolean') return leaf(equals(field, v.value), at);
      if (family === 'number') throw new ImportProblem('SIEMC-I114', `${sigmaName} is the numeric field ${field.name}; ${String(v.value)} is not a number`);
      const text = ECS_VALUE_REWRITES[field.name]?.[String(v.value)] ?? String(v.value);
      return leaf(match(field, [exactPattern(text)], true), at);
    }
    case 'null':
      // Sigma's null: the field is absent or null (pySigma: NOT _exists_), the IR's "missing".
      return not(leaf(exists(field), at));
    case 'exists':
      return v.value ? leaf(exists(field), at) : not(leaf(exists(field), at));
    case 'compare':
      return leaf(range(field, { [v.op]: v.value }), at);
    case 'cidr':
      if (parseCidr(v.network) === undefined) throw new ImportProblem('SIEMC-I106', `"${v.network}" is not a CIDR network`);
      return leaf(cidr(field, [v.network]), at);
    case 'regex': {
      const lowered = lowerSigmaRegex(v.source, v.flags);
      if ('problem' in lowered) throw new ImportProblem('SIEMC-I109', `the regular expression of ${sigmaName} (${JSON.stringify(v.source)}) cannot be imported: ${lowered.problem}`);
      return leaf(regex(field, lowered.source, lowered.caseInsensitive), at);
    }
    case 'fieldref':
      throw new ImportProblem('SIEMC-I107', `${sigmaName}|fieldref compares two fields of one event (${sigmaName} and ${v.field}), which the IR cannot express`);
  }
}

function stringNode(field: Field, strings: readonly SigmaString[], sigmaName: string, at: SourceLocation, ctx: Context): Node {
  const family = familyOf(field.type);
  const patterns = strings.map(stringPattern);
  if (family === 'number' || family === 'boolean') {
    const nodes = patterns.map((p) => {
      const text = isExact(p) ? exactValue(p).trim() : undefined;
      if (family === 'number' && text !== undefined && text !== '' && Number.isFinite(Number(text))) return leaf(equals(field, Number(text)), at);
      if (family === 'boolean' && (text?.toLowerCase() === 'true' || text?.toLowerCase() === 'false')) return leaf(equals(field, text.toLowerCase() === 'true'), at);
      throw new ImportProblem('SIEMC-I114', `${sigmaName} is the ${field.type} field ${field.name}; the value ${describe(p)} is not a ${family}`);
    });
    return nodes.length === 1 ? (nodes[0] as Node) : or(nodes);
  }
  const rewrites = ECS_VALUE_REWRITES[field.name];
  const rewritten = patterns.map((p) => (rewrites !== undefined && isExact(p) ? exactPattern(rewrites[exactValue(p).toLowerCase()] ?? exactValue(p)) : p));
  // Strings with different case handling are separate leaves (an expansion shares one).
  const cased = strings.map((s) => s.cased);
  const groups = [true, false].map((c) => rewritten.filter((_, i) => cased[i] === c)).filter((g) => g.length > 0);
  const nodes = groups.map((g) => {
    const caseInsensitive = !(cased[rewritten.indexOf(g[0] as Pattern)] ?? false);
    if (caseInsensitive && g.some(hasNonAsciiCasedLetters)) {
      ctx.warn({ code: 'SIEMC-I116', message: `a value of ${sigmaName} has non-ASCII letters: Sigma ignores their case, the IR only that of ASCII letters, so other-case spellings no longer match`, at });
    }
    return leaf(match(field, g, caseInsensitive), at);
  });
  return nodes.length === 1 ? (nodes[0] as Node) : or(nodes);
}

function describe(p: Pattern): string {
  return JSON.stringify(p.map((x) => (x.kind === 'literal' ? x.text : x.kind === 'anyRun' ? '*' : '?')).join(''));
}

const MESSAGE: Field = Object.freeze({ name: 'message', type: mappedFieldType('message') });

/** Keyword values: a search of the whole event, read as "the message contains" (options.keywords). */
function keywordValues(values: readonly YNode[], modifiers: readonly string[], at: SourceLocation, ctx: Context): Node {
  if (ctx.options.keywords === 'refuse') {
    throw new ImportProblem('SIEMC-I108', 'keyword (field-less) values search the whole event, which the IR cannot express (import with keywords: message to read them as a search of ECS message)', at);
  }
  ctx.warn({ code: 'SIEMC-I108', message: 'keyword (field-less) values search the whole event; imported as case-insensitive "contains" on ECS message (events whose text is in other fields are missed)', at });
  const nodes = values.map((v) => {
    const value = located(() => applyModifiers(scalarOf(v), modifiers), v.at);
    const strings = stringsOf(value) ?? (value.kind === 'number' || value.kind === 'bool' ? stringsOf(applyModifiers(value, ['contains'])) : undefined);
    if (strings === undefined) throw new ImportProblem('SIEMC-I108', `a keyword value must be a string (not ${value.kind})`, v.at);
    const patterns = strings.map((s) => makePattern([ANY_RUN, ...s.parts, ANY_RUN]));
    return leaf(match(MESSAGE, patterns, !(strings[0]?.cased ?? false)), v.at);
  });
  return modifiers.includes('all') ? and(nodes) : or(nodes);
}
