/**
 * The TypeScript emitter behind `siemc import ... --emit ts DIR`: loaded rules (any frontend)
 * written as idiomatic rule sources in the DSL, so a team can move its rules to siemc and edit
 * them from then on. One module per rule exporting one `defineRule({...})`; fields named in two
 * or more clauses become module constants; value lists of `listThreshold` or more elements that
 * two or more rules use become modules in `lists/`; rules without test events get generated
 * ones (src/emit/test-events.ts). Loading the output gives back the same normalised IR and the
 * same metadata (test/emit).
 *
 * Diagnostics (documented in docs/emit.md):
 * - SIEMC-E001 (error): the query has no DSL spelling with the same IR; the rule is not emitted.
 * - SIEMC-E002 (warning): no event matches the query, so only non-matching tests were generated.
 * - SIEMC-E003 (warning): every event matches the query, so no non-matching test was generated.
 * - SIEMC-E004 (error): the rule's metadata or tests would not pass the loader's checks; not emitted.
 *   Elastic rule parameters (`rule.elastic`) are written as the rule's `elastic: {...}`.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Json } from '../model/event.js';
import type { ElasticRuleParameters, MitreTactic, Rule, RuleTest } from '../model/rule.js';
import { runtimeMetadata } from '../model/defaults.js';
import { validateRules } from '../loader/validate.js';
import type { Field } from '../ir/nodes.js';
import { array, call, flat, object, render, str, text, type Doc, type Property } from './layout.js';
import { NameScope, camelName, commentText, kebabName, numberLiteral, propertyKey, stringLiteral } from './literals.js';
import { displaySource, importSpecifier, modulePaths, sourceFile } from './paths.js';
import { DSL_NAMES, fieldExpression, fieldKey, fieldUses, queryExpression, valueLists, whyInexpressible, type DslName, type ValueList } from './query.js';
import { generateTests, type TestGenerationOptions } from './test-events.js';

export interface EmitOptions {
  /** A value list needs this many elements to become a shared list module (default 5). */
  readonly listThreshold?: number;
  /** The folder the rules were imported from: module folders mirror the source folders below it. */
  readonly root?: string;
  readonly tests?: TestGenerationOptions;
}

/** Emitted files (relative path -> text) and what could not be emitted, or only approximately tested. */
export interface EmitResult {
  readonly files: Map<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

export class EmitError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code} ${d.message}${d.rule === undefined ? '' : ` [rule ${d.rule}]`}`).join('\n'));
  }
}

/** Every rule as a module; throws EmitError when a rule cannot be written in the DSL. */
export function emitTypeScript(rules: readonly Rule[], options: { listThreshold?: number; root?: string } = {}): Map<string, string> {
  const result = emitRules(rules, options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new EmitError(errors);
  return result.files;
}

interface SharedList {
  readonly name: string;
  readonly path: string;
  readonly list: ValueList;
  readonly rules: Rule[];
}

/** Like emitTypeScript, but rules that cannot be emitted are left out with a diagnostic. */
export function emitRules(rules: readonly Rule[], options: EmitOptions = {}): EmitResult {
  const threshold = options.listThreshold ?? 5;
  const diagnostics: Diagnostic[] = [];
  const ready: { rule: Rule; tests: readonly RuleTest[] }[] = [];
  for (const rule of rules) {
    const why = whyInexpressible(rule.query);
    if (why !== undefined) {
      diagnostics.push({ code: 'SIEMC-E001', severity: 'error', message: `not emitted: ${why}`, rule: rule.id, ...locationOf(rule) });
      continue;
    }
    let tests = rule.tests;
    if (tests.length === 0) {
      tests = generateTests(rule.query, options.tests);
      if (!tests.some((t) => t.expect === 'match'))
        diagnostics.push({ code: 'SIEMC-E002', severity: 'warning', message: 'no event matches the query: only non-matching test events were generated', rule: rule.id, ...locationOf(rule) });
      if (!tests.some((t) => t.expect === 'no match'))
        diagnostics.push({ code: 'SIEMC-E003', severity: 'warning', message: 'every event matches the query: no non-matching test event was generated', rule: rule.id, ...locationOf(rule) });
    }
    // What the loader will check, checked now: a file that cannot load is never written.
    const { location: _location, provenance: _provenance, ...plain } = rule;
    const problems = validateRules([{ ...plain, ...runtimeMetadata(rule), tests }]).filter((d) => d.severity === 'error');
    if (problems.length > 0) {
      const what = problems.map((d) => `${d.code} ${d.message}`).join('; ');
      diagnostics.push({ code: 'SIEMC-E004', severity: 'error', message: `not emitted: the rule would not load: ${what}`, rule: rule.id, ...locationOf(rule) });
      continue;
    }
    ready.push({ rule, tests });
  }

  const emitted = ready.map((r) => r.rule);
  const shared = sharedLists(emitted, threshold);
  const taken = new Set([...shared.values()].map((s) => s.path.toLowerCase()));
  const paths = modulePaths(emitted, options.root, taken);
  const files = new Map<string, string>();
  for (const s of new Set(shared.values())) files.set(s.path, listModule(s));
  ready.forEach(({ rule, tests }, i) => {
    const path = paths[i] as string;
    const { source, note } = ruleModule(rule, tests, path, shared, options.root);
    files.set(path, source);
    if (note !== undefined) files.set(note.path, note.text);
  });
  return { files, diagnostics };
}

function locationOf(rule: Rule): Pick<Diagnostic, 'location'> {
  const location = rule.provenance?.location ?? rule.location;
  return location === undefined ? {} : { location };
}

/** Lists used by two or more rules with enough elements, by list key (one entry per key). */
function sharedLists(rules: readonly Rule[], threshold: number): Map<string, SharedList> {
  const byKey = new Map<string, { list: ValueList; rules: Rule[] }>();
  for (const rule of rules) {
    for (const list of valueLists(rule.query)) {
      if (list.items.length < threshold) continue;
      const entry = byKey.get(list.key) ?? { list, rules: [] };
      if (!entry.rules.includes(rule)) entry.rules.push(rule);
      byKey.set(list.key, entry);
    }
  }
  const names = new NameScope(DSL_NAMES);
  const out = new Map<string, SharedList>();
  for (const [key, { list, rules: users }] of byKey) {
    if (users.length < 2) continue;
    const suffix = list.kind === 'values' ? 'Values' : list.kind === 'patterns' ? 'Patterns' : 'Networks';
    // Named for the field rather than a label: labels are sentences ("Add new domains here").
    const name = names.claim(`${camelName(list.field.name, 'shared')}${suffix}`);
    out.set(key, { name, path: `lists/${kebabName(name, 'list')}.ts`, list, rules: users });
  }
  return out;
}

/** A JSDoc comment, one line when it fits, else one line per item. */
function docComment(head: string, items: readonly string[]): string {
  const clean = (t: string): string => commentText(t).replace(/\*\//g, '* /');
  const short = (t: string): string => (t.length > 100 ? `${[...t].slice(0, 100).join('')}...` : t);
  const one = `/** ${clean(head)} ${items.map((i) => `"${clean(short(i))}"`).join(', ')}. */`;
  if (one.length <= 120) return one;
  return ['/**', ` * ${clean(head)}`, ...items.map((i) => ` * - ${clean(short(i))}`), ' */'].join('\n');
}

function listModule(s: SharedList): string {
  const lines: string[] = [];
  const uses = [...s.list.uses].sort();
  if (uses.length > 0) lines.push(`import { ${uses.join(', ')} } from 'siemc';`, '');
  const what = s.list.kind === 'values' ? 'Values' : s.list.kind === 'patterns' ? 'Patterns (`*` any run, `?` one character)' : 'Networks';
  lines.push(docComment(`${what} of ${s.list.field.name}, shared by the imported rules`, s.rules.map((r) => r.name)));
  lines.push(`export const ${s.name} = ${render(array(s.list.items, ' as const'), 0, 16 + s.name.length, 1)};`);
  return `${lines.join('\n')}\n`;
}

function jsonDoc(value: Json): Doc {
  if (value === null) return text('null');
  if (typeof value === 'boolean') return text(String(value));
  if (typeof value === 'number') return text(Number.isFinite(value) ? numberLiteral(value) : String(value));
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return array((value as readonly Json[]).map(jsonDoc));
  return object(Object.entries(value as { readonly [key: string]: Json }).map(([k, v]) => ({ key: propertyKey(k), value: jsonDoc(v) })));
}

const strings = (values: readonly string[]): Doc => array(values.map(str));
const prop = (key: string, value: Doc): Property => ({ key, value });

function mitreDoc(mitre: readonly MitreTactic[]): Doc {
  return array(
    mitre.map((t) =>
      object([
        prop('tactic', object([prop('id', str(t.tactic.id)), prop('name', str(t.tactic.name))])),
        prop(
          'techniques',
          array(
            t.techniques.map((tech) =>
              object([
                prop('id', str(tech.id)),
                prop('name', str(tech.name)),
                ...(tech.subtechniques === undefined
                  ? []
                  : [prop('subtechniques', array(tech.subtechniques.map((s) => object([prop('id', str(s.id)), prop('name', str(s.name))]))))]),
              ]),
            ),
          ),
        ),
      ]),
    ),
  );
}

/** `elastic: {...}` as the importer kept it, key by key (the loader checks the same shape, SIEMC-R046). */
function elasticDoc(e: ElasticRuleParameters): Doc {
  const optional = (key: string, value: string | undefined): Property[] => (value === undefined ? [] : [prop(key, str(value))]);
  return object([
    prop('type', str(e.type)),
    prop('language', str(e.language)),
    prop('originalQuery', str(e.originalQuery)),
    ...(e.newTerms === undefined ? [] : [prop('newTerms', object([prop('fields', strings(e.newTerms.fields)), prop('historyWindowStart', str(e.newTerms.historyWindowStart))]))]),
    ...(e.threshold === undefined
      ? []
      : [
          prop(
            'threshold',
            object([
              prop('field', strings(e.threshold.field)),
              prop('value', text(numberLiteral(e.threshold.value))),
              ...(e.threshold.cardinality === undefined
                ? []
                : [prop('cardinality', array(e.threshold.cardinality.map((c) => object([prop('field', str(c.field)), prop('value', text(numberLiteral(c.value)))]))))]),
            ]),
          ),
        ]),
    ...optional('timestampOverride', e.timestampOverride),
    ...optional('eventCategoryOverride', e.eventCategoryOverride),
    ...optional('buildingBlockType', e.buildingBlockType),
  ]);
}

function testsDoc(tests: readonly RuleTest[]): Doc {
  return array(tests.map((t) => object([prop('name', str(t.name)), prop('expect', str(t.expect)), prop('event', jsonDoc(t.event))])));
}

/** A note with several lines reads best as Markdown next to the rule; odd text (CR, lone surrogates, NUL) stays a literal. */
function noteAsFile(note: string): boolean {
  return note.includes('\n') && !/[\r\0]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(note);
}

function ruleModule(
  rule: Rule,
  tests: readonly RuleTest[],
  path: string,
  shared: ReadonlyMap<string, SharedList>,
  root: string | undefined,
): { source: string; note?: { path: string; text: string } } {
  const uses = new Set<DslName>(['defineRule']);
  const scope = new NameScope(DSL_NAMES);
  const imported = new Map<string, SharedList>();
  const listRef = (key: string): string | undefined => {
    const s = shared.get(key);
    if (s !== undefined) imported.set(s.name, s);
    return s?.name;
  };
  for (const s of new Set(shared.values())) scope.claim(s.name);
  const ruleName = scope.claim(camelName(rule.name, 'importedRule'));

  const constants = new Map<string, { name: string; field: Field }>();
  for (const [key, { field, count }] of fieldUses(rule.query)) {
    if (count >= 2) constants.set(key, { name: scope.claim(camelName(field.name, 'eventField')), field });
  }
  const fieldRef = (f: Field): Doc => {
    const c = constants.get(fieldKey(f));
    return c === undefined ? fieldExpression(f, uses) : text(c.name);
  };
  const query = queryExpression(rule.query, { fieldRef, listRef, uses });
  const constantLines = [...constants.values()].map(({ name, field }) => `const ${name} = ${flat(fieldExpression(field, uses))};`);

  const stem = path.split('/').pop()?.replace(/\.ts$/, '') ?? 'rule';
  let note: { path: string; text: string } | undefined;
  let noteDoc: Doc | undefined;
  if (rule.note !== undefined) {
    if (noteAsFile(rule.note)) {
      note = { path: path.replace(/\.ts$/, '.md'), text: rule.note };
      uses.add('markdown');
      noteDoc = call('markdown', text('import.meta.url'), str(`./${stem}.md`));
    } else {
      noteDoc = str(rule.note);
    }
  }

  const runtime = runtimeMetadata(rule);
  const props: Property[] = [
    prop('id', str(rule.id)),
    prop('name', str(rule.name)),
    prop('description', str(rule.description)),
    prop('author', strings(rule.author)),
    prop('license', str(rule.license)),
    prop('severity', str(rule.severity)),
    prop('riskScore', text(numberLiteral(runtime.riskScore))),
    prop('schedule', object([prop('interval', str(runtime.schedule.interval)), prop('from', str(runtime.schedule.from))])),
    prop('maxSignals', text(numberLiteral(runtime.maxSignals))),
    prop('index', strings(runtime.index)),
    prop('tags', strings(rule.tags)),
    prop('mitre', mitreDoc(rule.mitre)),
    prop('references', strings(rule.references)),
    prop('falsePositives', strings(rule.falsePositives)),
    ...(noteDoc === undefined ? [] : [prop('note', noteDoc)]),
    ...(rule.setup === undefined ? [] : [prop('setup', str(rule.setup))]),
    ...(rule.status === undefined ? [] : [prop('status', str(rule.status))]),
    ...(rule.language === undefined ? [] : [prop('language', str(rule.language))]),
    ...(rule.elastic === undefined ? [] : [prop('elastic', elasticDoc(rule.elastic))]),
    prop('version', text(numberLiteral(rule.version))),
    ...(rule.created === undefined ? [] : [prop('created', str(rule.created))]),
    ...(rule.updated === undefined ? [] : [prop('updated', str(rule.updated))]),
    prop('query', query),
    prop('tests', testsDoc(tests)),
  ];

  const lines: string[] = [];
  const file = sourceFile(rule);
  const from = rule.provenance?.kind ?? 'another format';
  lines.push(`// Imported from ${commentText(file === undefined ? from : `${from}: ${displaySource(file, root)}`)} by siemc import.`);
  if (rule.tests.length === 0) lines.push('// The test events were generated from the query (each checked with the evaluator): review them and add your own.');
  const dsl = DSL_NAMES.filter((n) => uses.has(n)).sort();
  lines.push(`import { ${dsl.join(', ')} } from 'siemc';`);
  const byModule = new Map<string, string[]>();
  for (const s of imported.values()) byModule.set(s.path, [...(byModule.get(s.path) ?? []), s.name]);
  for (const [modulePath, names] of [...byModule].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`import { ${names.sort().join(', ')} } from ${stringLiteral(importSpecifier(path, modulePath))};`);
  }
  lines.push('');
  if (constantLines.length > 0) lines.push(...constantLines, '');
  const head = `export const ${ruleName} = `;
  lines.push(`${head}${render(call('defineRule', object(props)), 0, head.length, 1)};`);
  return { source: `${lines.join('\n')}\n`, ...(note === undefined ? {} : { note }) };
}
