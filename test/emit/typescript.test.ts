/**
 * The TypeScript emitter end to end: imported rules (adversarial metadata and values, every leaf
 * kind, custom fields, shared lists) and the reference rule are emitted into one folder under
 * .cache/, type-checked and loaded back with the real loader (one load for the whole batch), and
 * must give the same normalised IR and metadata. The loader also runs every generated test event.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, cidr, equals, exists, match, not, or, range, regex, type Field, type Node } from '../../src/ir/nodes.js';
import { ANY_RUN, ONE_CHAR, exactPattern, globPattern, literalPart, makePattern } from '../../src/ir/pattern.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { normalize } from '../../src/ir/normalize.js';
import { emitRules, emitTypeScript } from '../../src/emit/typescript.js';
import type { Rule } from '../../src/model/rule.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { referenceRule } from '../support/rules.js';
import { expectSameRules, importedRule, loadBack, writeFiles } from './support.js';

const f = (name: string, type: Field['type']): Field => ({ name, type });
const processName = f('process.name', 'keyword');
const commandLine = f('process.command_line', 'wildcard');
const executable = f('process.executable', 'keyword');
const pid = f('process.pid', 'long');
const trusted = f('process.code_signature.trusted', 'boolean');
const sourceIp = f('source.ip', 'ip');

const NASTY = `it's "quoted" \\ back\\slash \${template} \`tick\` \n newline \r\t é 😀 \u2028 \u00a0 */ end`;
const sharedTools = ['psexec.exe', 'paexec.exe', 'remcom.exe', 'csexec.exe', 'winexesvc.exe', NASTY];

const rules: Rule[] = [
  importedRule(1, and([
    match(processName, sharedTools.map(exactPattern), false),
    not(match(executable, [globPattern('?:\\Windows\\*'), makePattern([literalPart('C:\\odd*name?'), ANY_RUN])], true), 'Outside ${Windows}\n'),
  ]), {
    name: NASTY,
    description: `${NASTY}\n`.repeat(3),
    author: ['O\'Brien', 'back\\slash'],
    tags: ['Tactic: Lateral Movement', '${x}'],
    references: ['https://example.com/a?b=c&d=${e}'],
    falsePositives: ['a no-break\u00a0space'],
    note: 'one line with an emoji 😀 and U+2029 \u2029',
  }),
  importedRule(2, or([
    and([match(processName, sharedTools.map(exactPattern), false), exists(commandLine)], 'Remote exec tool'),
    match(commandLine, [globPattern('* -enc *'), globPattern('*\\\\127.0.0.1\\*')], true, 'Encoded "command"'),
  ]), {
    riskScore: 55,
    schedule: { interval: '10m', from: 'now-11m' },
    maxSignals: 7,
    index: ['logs-windows.*', 'winlogbeat-*'],
    severity: 'high',
    created: '2024-02-29',
    updated: '2025-01-01',
    note: '## Triage\n\nLook at `process.command_line`.\n',
    setup: 'Enable process auditing.\nThen wait.',
    status: 'stable',
    language: 'kql',
    mitre: [
      {
        tactic: { id: 'TA0008', name: 'Lateral Movement' },
        techniques: [{ id: 'T1021', name: 'Remote Services', subtechniques: [{ id: 'T1021.002', name: 'SMB/Windows Admin Shares' }] }, { id: 'T1570', name: 'Lateral Tool Transfer' }],
      },
    ],
  }),
  importedRule(3, and([
    equals(pid, -0),
    range(pid, { gt: -1.5 }),
    range(f('process.parent.pid', 'long'), { gte: 1, lte: 4_294_967_295 }),
    range(f('process.thread.id', 'long'), { lt: 1e21 }),
    range(f('process.exit_code', 'long'), { lte: 0.1 }),
    equals(trusted, false),
    not(equals(f('process.code_signature.exists', 'boolean'), true), 'unsigned'),
    cidr(sourceIp, ['10.0.0.0/8', '::ffff:192.168.0.0/112', 'fe80::/10']),
    cidr(f('destination.ip', 'ip'), ['203.0.113.7']),
    regex(processName, '[a-z]+\\.(exe|dll)', false),
    regex(f('file.name', 'keyword'), 'x{2,3}.y', true),
  ])),
  // Fields outside ECS, and an ECS field given another type by the importer.
  importedRule(4, and([
    match(f('winlog.event_data.CommandLine', 'keyword'), [globPattern('*mimikatz*'), makePattern([literalPart('a*'), ONE_CHAR])], true),
    match(f('process.pid', 'keyword'), [exactPattern('42'), exactPattern('*'), exactPattern('')], false),
    exists(f('weird_field-name.@x', 'long')),
    range(f('custom.score', 'float'), { gte: 0.5 }),
    match(processName, ['a', 'b', 'c', 'd'].map(exactPattern), false),
  ])),
  // Two rules of one source file: modules are named after the rules.
  importedRule(5, match(processName, ['a', 'b', 'c', 'd'].map(exactPattern), false), {
    name: 'First of two',
    provenance: { kind: 'sigma', location: { file: '/imports/sigma/multi/two.yml', line: 1, column: 1 } },
  }),
  importedRule(6, and([match(processName, [exactPattern('x')], false), not(match(processName, [exactPattern('x')], false))]), {
    name: 'Second of two (never matches)',
    provenance: { kind: 'sigma', location: { file: '/imports/sigma/multi/two.yml', line: 20, column: 1 } },
  }),
  // No source location at all: named after the rule, in a folder named after the format.
  importedRule(7, or([not(exists(processName)), exists(processName)]), { name: 'Matches everything', provenance: { kind: 'elastic' } }),
  // What Sigma rules do with addresses: text on an ip field (`IpAddress: '-'`), a CIDR on an unmapped keyword field.
  importedRule(8, and([
    not(match(sourceIp, [exactPattern('::1'), exactPattern('-')], true)),
    match(f('destination.ip', 'ip'), [globPattern('127.*')], true),
    regex(sourceIp, '10\\.[0-9]+.*', false),
    not(cidr(f('DestinationIp', 'keyword'), ['10.0.0.0/8', 'fe80::/10'])),
  ])),
];

let reference: Rule;
let files: Map<string, string>;
let diagnostics: readonly Diagnostic[];
let loaded: readonly Rule[];

beforeAll(async () => {
  reference = await referenceRule();
  // The reference rule twice: with its own tests, and as an import without any (another id).
  const { location: _dropped, ...unlocated } = reference;
  const imported: Rule = { ...unlocated, id: '66883649-f908-4a5b-a1e0-54090a1d3a33', tests: [], provenance: { kind: 'elastic' } };
  const input = [...rules, reference, imported];
  ({ files, diagnostics } = emitRules(input, { root: '/imports/sigma' }));
  ({ rules: loaded } = await loadBack(writeFiles(files)));
}, 120_000);

describe('emitTypeScript', () => {
  it('emits modules that type-check and load back to the same normalised IR and metadata', () => {
    const imported = { ...reference, id: '66883649-f908-4a5b-a1e0-54090a1d3a33', tests: [] };
    expectSameRules([...rules, reference, imported], loaded);
  });

  it('keeps the reference rule (its own 50 tests included)', () => {
    const back = loaded.find((r) => r.id === reference.id) as Rule;
    expect(back.tests).toEqual(reference.tests);
    expect(back.note).toBe(reference.note);
  });

  it('lays modules out by source folder and name', () => {
    expect([...files.keys()].sort()).toEqual([
      'connection-to-commonly-abused-web-services/rule.md',
      'connection-to-commonly-abused-web-services/rule.ts',
      'elastic/connection-to-commonly-abused-web-services.md',
      'elastic/connection-to-commonly-abused-web-services.ts',
      'elastic/matches-everything.ts',
      // The reference rule and its imported copy share four lists; rules 1 and 2 one.
      'lists/dns-question-name-patterns.ts',
      'lists/dns-question-name-patterns2.ts',
      'lists/process-code-signature-subject-name-values.ts',
      'lists/process-executable-patterns.ts',
      'lists/process-name-values.ts',
      'multi/first-of-two.ts',
      'multi/second-of-two-never-matches.ts',
      'windows/rule-1.ts',
      'windows/rule-2.md',
      'windows/rule-2.ts',
      'windows/rule-3.ts',
      'windows/rule-4.ts',
      'windows/rule-8.ts',
    ]);
  });

  it('writes a list of five or more values used by two rules once, and imports it in both', () => {
    const list = files.get('lists/process-name-values.ts') as string;
    expect(list).toContain("export const processNameValues = [\n  'psexec.exe',");
    for (const path of ['windows/rule-1.ts', 'windows/rule-2.ts']) {
      const source = files.get(path) as string;
      expect(source).toContain("import { processNameValues } from '../lists/process-name-values.js';");
      expect(source).toContain('.in(processNameValues)');
      // Not inline in the query (a generated test event may well hold one of the values).
      expect(source.slice(0, source.indexOf('  tests: ['))).not.toContain("'psexec.exe'");
    }
    // Four values in two rules stay inline (below the threshold).
    expect(files.get('multi/first-of-two.ts')).toContain(".in(['a', 'b', 'c', 'd'])");
  });

  it('writes idiomatic DSL: field constants, custom fields, pattern builders, labels', () => {
    const r4 = files.get('windows/rule-4.ts') as string;
    expect(r4).toContain("customField('winlog.event_data.CommandLine', 'keyword').likeIgnoreCase(['*mimikatz*', pattern('a*', oneChar)])");
    expect(r4).toContain("customField('process.pid', 'keyword').in(['42', '*', ''])");
    expect(r4).toContain("import { all, customField, defineRule, field, oneChar, pattern } from 'siemc';");
    const r3 = files.get('windows/rule-3.ts') as string;
    expect(r3).toContain('const processPid = field(\'process.pid\');');
    expect(r3).toContain('processPid.equals(-0)');
    expect(r3).toContain("field('process.parent.pid').between(1, 4294967295)");
    expect(r3).toContain("not(field('process.code_signature.exists').isTrue()).as('unsigned')");
    const r8 = files.get('windows/rule-8.ts') as string;
    expect(r8).toContain("not(sourceIp.asText().inIgnoreCase(['::1', '-']))");
    expect(r8).toContain("field('destination.ip').asText().likeIgnoreCase('127.*')");
    expect(r8).toContain("not(customField('DestinationIp', 'keyword').asAddress().inCidr(['10.0.0.0/8', 'fe80::/10']))");
    const r2 = files.get('windows/rule-2.ts') as string;
    expect(r2).toContain(".as('Remote exec tool')");
    expect(r2).toContain("note: markdown(import.meta.url, './rule-2.md')");
    expect(files.get('windows/rule-2.md')).toBe('## Triage\n\nLook at `process.command_line`.\n');
    for (const [path, text] of files) if (path.endsWith('.ts')) expect(text.split('\n').filter((l) => l.length > 120 && !/^\s*'.*',?$/.test(l)), path).toEqual([]);
  });

  it('generates a matching and a non-matching test event per imported rule, each confirmed by the evaluator', () => {
    for (const rule of loaded.filter((r) => r.id !== reference.id)) {
      const query = normalize(rule.query);
      const verdicts = new Set(rule.tests.map((t) => t.expect));
      if (rule.name.startsWith('Second of two')) expect([...verdicts]).toEqual(['no match']);
      else if (rule.name === 'Matches everything') expect([...verdicts]).toEqual(['match']);
      else expect(verdicts, rule.name).toEqual(new Set(['match', 'no match']));
      for (const t of rule.tests) {
        expect(t.name).toMatch(/^generated: /);
        expect(evaluate(query, t.event) ? 'match' : 'no match').toBe(t.expect);
      }
    }
    const near = (loaded.find((r) => r.id === '66883649-f908-4a5b-a1e0-54090a1d3a33') as Rule).tests.map((t) => t.name);
    expect(near).toContain('generated: no match, only exists process.name fails');
    expect(diagnostics.map((d) => `${d.code} ${d.rule}`).sort()).toEqual([
      'SIEMC-E002 00000000-0000-4000-8000-000000000006',
      'SIEMC-E003 00000000-0000-4000-8000-000000000007',
    ]);
  });
});

describe('Elastic rule parameters', () => {
  const params: Rule['elastic'][] = [
    {
      type: 'threshold',
      language: 'kuery',
      originalQuery: 'event.category:authentication and\n  event.outcome:"failure" // it\'s',
      threshold: { field: ['source.ip', 'user.name'], value: 25, cardinality: [{ field: 'host.name', value: 3 }] },
      timestampOverride: 'event.ingested',
      buildingBlockType: 'default',
    },
    { type: 'new_terms', language: 'kuery', originalQuery: 'event.category:process', newTerms: { fields: ['host.id'], historyWindowStart: 'now-14d' } },
    { type: 'eql', language: 'eql', originalQuery: 'process where true', eventCategoryOverride: 'winlog.category' },
    { type: 'query', language: 'kuery', originalQuery: 'process.name:*' },
  ];
  const input = params.map((elastic, i) => importedRule(30 + i, exists(processName), { elastic, provenance: { kind: 'elastic' }, name: `Elastic ${i}` }));

  it('are written as elastic: {...} and load back unchanged', async () => {
    const result = emitRules(input);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const threshold = result.files.get('elastic/elastic-0.ts') ?? '';
    expect(threshold).toContain("  elastic: {\n    type: 'threshold',\n    language: 'kuery',");
    expect(threshold).toContain("threshold: { field: ['source.ip', 'user.name'], value: 25, cardinality: [{ field: 'host.name', value: 3 }] },");
    const { rules: back } = await loadBack(writeFiles(result.files));
    expectSameRules(input, back);
    for (const rule of input) expect(back.find((r) => r.id === rule.id)?.elastic).toEqual(rule.elastic);
  }, 60_000);
});

describe('rules the loader would reject', () => {
  it.each([
    ['SIEMC-R045', { description: 'a zero\u200bwidth space' }],
    ['SIEMC-R045', { tags: ['lone \udc00 surrogate'] }],
    ['SIEMC-R021', { mitre: [{ tactic: { id: 'TA0002', name: 'Execution' }, techniques: [{ id: 'T12' as 'T1', name: 'x' }] }] }],
    ['SIEMC-R046', { elastic: { type: 'threshold', language: 'kuery', originalQuery: 'x', threshold: { field: [], value: 0 } } }],
  ] as const)('are reported as SIEMC-E004 (%s) and left out', (code, extra) => {
    const result = emitRules([importedRule(1, exists(processName), extra as Partial<Rule>), importedRule(2, exists(processName))]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'SIEMC-E004', severity: 'error' });
    expect(result.diagnostics[0]?.message).toContain(code);
    expect([...result.files.keys()]).toEqual(['windows/rule-2.ts']);
  });
});

describe('IR without a DSL spelling', () => {
  const cases: [string, Node][] = [
    ['a boolean comparison on source.ip, a ip field', equals(sourceIp, true)],
    ['an empty all()', and([])],
    ['bounds gt+lt', range(pid, { gt: 1, lt: 5 })],
    ['bounds gte+lte', range(pid, { gte: 5, lte: 1 })],
    ['a CIDR test on process.pid, a long field', cidr(pid, ['10.0.0.0/8'])],
    ['not a CIDR network', cidr(sourceIp, ['10.0.0.0/33'])],
    ['outside the portable subset', regex(processName, '^a$', false)],
    ['a numeric comparison on process.name', equals(processName, 1)],
    ['holds a NUL character', match(processName, [exactPattern('a\u0000b')], false)],
    ['holds a lone surrogate', exists(processName, 'label \ud800')],
    ['outside the grammar customField() accepts', exists(f('custom field', 'keyword'))],
  ];
  it.each(cases)('is reported (%s) and the rule left out', (why, query) => {
    const ok = importedRule(1, exists(processName));
    const bad = importedRule(2, and([exists(processName), query]));
    const result = emitRules([ok, bad]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'SIEMC-E001', severity: 'error', rule: bad.id });
    expect(result.diagnostics[0]?.message).toContain(why);
    expect([...result.files.keys()]).toEqual(['windows/rule-1.ts']);
    expect(() => emitTypeScript([ok, bad])).toThrow(/SIEMC-E001/);
  });
});
