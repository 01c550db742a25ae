/** The Sigma importer: values, modifiers, conditions, regexes, documents and metadata, judged by the evaluator. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { FIELD_NAME } from '../../src/frontends/sigma/detection.js';
import { importSigma } from '../../src/frontends/sigma/index.js';
import { FIELD_NAME as DSL_FIELD_NAME } from '../../src/dsl/text-checks.js';
import { lowerSigmaRegex } from '../../src/frontends/sigma/regex.js';
import type { Json } from '../../src/model/event.js';
import type { Rule } from '../../src/model/rule.js';
import { belongsTo, ecsFieldForSigma, sigmaFieldForEcs } from '../../src/schema/sigma-taxonomy.js';

const ID = '0b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b7a10';

function yaml(detection: string, logsource = 'category: process_creation\n  product: windows', extra = ''): string {
  return `title: Test rule\nid: ${ID}\nstatus: test\nlogsource:\n  ${logsource}\ndetection:\n${detection.replace(/^/gm, '  ')}\nlevel: high\n${extra}`;
}

function rule(detection: string, logsource?: string): Rule {
  const r = importSigma('t.yml', yaml(detection, logsource));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  expect(r.rules).toHaveLength(1);
  return r.rules[0] as Rule;
}

function matches(detection: string, event: Json, logsource?: string): boolean {
  return evaluate(rule(detection, logsource).query, event);
}

function refused(detection: string, logsource?: string): { code: string; message: string; line: number | undefined } {
  const r = importSigma('t.yml', yaml(detection, logsource));
  expect(r.rules).toEqual([]);
  const d = r.diagnostics.find((x) => x.severity === 'error');
  expect(d).toBeDefined();
  return { code: d?.code ?? '', message: d?.message ?? '', line: d?.location?.line };
}

const proc = (commandLine: string, extra: { [k: string]: Json } = {}): Json => ({ process: { command_line: commandLine, executable: 'C:\\Windows\\cmd.exe', ...extra } });

describe('values and modifiers', () => {
  it('ignores case by default, wildcards * and ?, backslash escapes only before * ? \\', () => {
    const d = "sel:\n  Image: 'C:\\Windows\\c*.EXE'\ncondition: sel";
    expect(matches(d, proc('x'))).toBe(true);
    // `\*` is an escaped star, so a path before a wildcard needs `\\*` (as in SigmaHQ rules).
    expect(matches("sel:\n  Image: 'C:\\Windows\\*'\ncondition: sel", proc('x'))).toBe(false);
    expect(matches("sel:\n  Image: 'C:\\Windows\\\\*'\ncondition: sel", proc('x'))).toBe(true);
    expect(matches("sel:\n  CommandLine: 'a\\*b'\ncondition: sel", proc('a*b'))).toBe(true);
    expect(matches("sel:\n  CommandLine: 'a\\*b'\ncondition: sel", proc('axxb'))).toBe(false);
    expect(matches("sel:\n  CommandLine: 'a?c'\ncondition: sel", proc('ABC'))).toBe(true);
    expect(matches("sel:\n  CommandLine|cased: 'a?c'\ncondition: sel", proc('ABC'))).toBe(false);
  });
  it('contains, startswith, endswith; a list is OR, |all is AND; neq negates', () => {
    expect(matches("sel:\n  CommandLine|contains:\n    - foo\n    - bar\ncondition: sel", proc('xBARx'))).toBe(true);
    expect(matches("sel:\n  CommandLine|contains|all:\n    - foo\n    - bar\ncondition: sel", proc('xBARx'))).toBe(false);
    expect(matches("sel:\n  CommandLine|contains|all:\n    - foo\n    - bar\ncondition: sel", proc('foo bar'))).toBe(true);
    expect(matches("sel:\n  CommandLine|startswith: foo\ncondition: sel", proc('xfoo'))).toBe(false);
    expect(matches("sel:\n  CommandLine|endswith: foo\ncondition: sel", proc('xfoo'))).toBe(true);
    expect(matches("sel:\n  CommandLine|neq: foo\ncondition: sel", proc('bar'))).toBe(true);
    expect(matches("sel:\n  CommandLine|neq: foo\ncondition: sel", proc('FOO'))).toBe(false);
  });
  it('a map is AND, a list of maps is OR', () => {
    const d = "sel:\n  - CommandLine: a\n    Image: '*cmd.exe'\n  - CommandLine: b\ncondition: sel";
    expect(matches(d, proc('a'))).toBe(true);
    expect(matches(d, { process: { command_line: 'a', executable: 'x' } })).toBe(false);
    expect(matches(d, { process: { command_line: 'b' } })).toBe(true);
  });
  it('windash expands a leading dash into -, /, en dash, em dash and horizontal bar', () => {
    const d = "sel:\n  CommandLine|windash|contains: ' -enc '\ncondition: sel";
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(matches(d, proc(`powershell ${dash}enc x`))).toBe(true);
    expect(matches(d, proc('powershell +enc x'))).toBe(false);
  });
  it('base64, base64offset and wide|base64offset encode as pySigma does', () => {
    expect(matches("sel:\n  CommandLine|base64: 'abc'\ncondition: sel", proc('YWJj'))).toBe(true);
    const offset = "sel:\n  CommandLine|base64offset|contains: 'http://'\ncondition: sel";
    for (const prefix of ['', 'x', 'xy']) {
      expect(matches(offset, proc(`-e ${Buffer.from(`${prefix}http://evil`).toString('base64')}`)), prefix).toBe(true);
    }
    const wide = "sel:\n  CommandLine|wide|base64offset|contains: 'IEX'\ncondition: sel";
    expect(matches(wide, proc(Buffer.from('a IEX(b)', 'utf16le').toString('base64')))).toBe(true);
  });
  it('null, exists, numbers, comparisons and cidr', () => {
    expect(matches("sel:\n  CommandLine: null\ncondition: sel", { process: { executable: 'x' } })).toBe(true);
    expect(matches("sel:\n  CommandLine: null\ncondition: sel", proc('x'))).toBe(false);
    expect(matches("sel:\n  CommandLine|exists: true\ncondition: sel", proc(''))).toBe(true);
    expect(matches("sel:\n  ProcessId: 42\ncondition: sel", { process: { pid: 42 } })).toBe(true);
    expect(matches("sel:\n  ProcessId: '42'\ncondition: sel", { process: { pid: 42 } })).toBe(true);
    expect(matches("sel:\n  ProcessId|gte: 40\ncondition: sel", { process: { pid: 39 } })).toBe(false);
    expect(matches("sel:\n  EventID: 4688\ncondition: sel", { event: { code: '4688' } }, 'product: windows\n  service: security')).toBe(false);
    expect(matches("sel:\n  EventID: 4688\ncondition: sel", { event: { code: '4688' }, winlog: { channel: 'security' } }, 'product: windows\n  service: security')).toBe(true);
    const net = 'category: network_connection\n  product: windows';
    expect(matches("sel:\n  DestinationIp|cidr: 10.0.0.0/8\ncondition: sel", { destination: { ip: '10.1.2.3' } }, net)).toBe(true);
    expect(matches("sel:\n  Initiated: 'true'\ncondition: sel", { network: { direction: 'egress' } }, net)).toBe(true);
  });
  it('refuses fieldref, expand, unknown modifiers and base64 of wildcards, with the line', () => {
    expect(refused("sel:\n  User|fieldref: ParentUser\ncondition: sel")).toMatchObject({ code: 'SIEMC-I107', line: 9 });
    expect(refused("sel:\n  User|expand: '%admins%'\ncondition: sel").code).toBe('SIEMC-I113');
    expect(refused("sel:\n  User|foo: x\ncondition: sel").message).toContain('unknown modifier "foo"');
    expect(refused("sel:\n  User|base64: 'a*'\ncondition: sel").code).toBe('SIEMC-I106');
  });
  it('keywords search ECS message (warning), or are refused with keywords: refuse', () => {
    const text = yaml('keywords:\n  - evil\ncondition: keywords', 'product: linux');
    const r = importSigma('t.yml', text);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toContainEqual(['SIEMC-I108', 'warning']);
    expect(evaluate((r.rules[0] as Rule).query, { message: 'an EVIL line' })).toBe(true);
    const strict = importSigma('t.yml', text, { keywords: 'refuse' });
    expect(strict.rules).toEqual([]);
    expect(strict.diagnostics[0]?.code).toBe('SIEMC-I108');
  });
  it('unmapped fields keep their Sigma name, with a warning', () => {
    const r = importSigma('t.yml', yaml('sel:\n  eventName: Stop\ncondition: sel', 'product: aws\n  service: cloudtrail'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SIEMC-I110']);
    expect(evaluate((r.rules[0] as Rule).query, { eventName: 'stop' })).toBe(true);
  });
});

describe('conditions', () => {
  const sels = 'sel_a:\n  CommandLine|contains: a\nsel_b:\n  CommandLine|contains: b\n_c:\n  CommandLine|contains: c\n';
  it('and, or, not, parentheses, 1 of / all of patterns and them (without _ names)', () => {
    const m = (cond: string, cl: string): boolean => matches(`${sels}condition: ${cond}`, proc(cl));
    expect(m('sel_a and not sel_b', 'a')).toBe(true);
    expect(m('sel_a and not sel_b', 'ab')).toBe(false);
    expect(m('not sel_a or sel_b and _c', 'xbc')).toBe(true);
    expect(m('(not sel_a or sel_b) and _c', 'ab')).toBe(false);
    expect(m('1 of sel_*', 'b')).toBe(true);
    expect(m('all of sel_*', 'b')).toBe(false);
    expect(m('all of them', 'ab')).toBe(true);
    expect(m('1 of them', 'c')).toBe(false);
  });
  it('reports unknown selections, syntax errors and aggregations', () => {
    expect(refused(`${sels}condition: sel_a and nope`).message).toContain('"nope" is not a selection');
    expect(refused(`${sels}condition: sel_a and`).code).toBe('SIEMC-I105');
    expect(refused(`${sels}condition: sel_a | count() > 5`).code).toBe('SIEMC-I111');
    expect(refused(`${sels}condition: 1 of x*`).message).toContain('names no selection');
  });
});

describe('regular expressions', () => {
  const re = (source: string, flags: ('i' | 'm' | 's')[] = []) => lowerSigmaRegex(source, new Set(flags));
  const holds = (source: string, value: string, flags: ('i' | 'm' | 's')[] = []): boolean => {
    const l = re(source, flags);
    if ('problem' in l) throw new Error(l.problem);
    return evaluate({ kind: 'regex', field: { name: 'f', type: 'keyword' }, regex: l.source, caseInsensitive: l.caseInsensitive }, { f: value });
  };
  it('searches unless anchored; $ allows a final newline; . stops at newlines without s', () => {
    expect(holds('b\\d', 'ab1c')).toBe(true);
    expect(holds('^b', 'ab')).toBe(false);
    expect(holds('b$', 'ab\n')).toBe(true);
    expect(holds('b$', 'ab\nc')).toBe(false);
    expect(holds('^b', 'a\nb', ['m'])).toBe(true);
    expect(holds('a.b', 'a\nb')).toBe(false);
    expect(holds('a.b', 'a\nb', ['s'])).toBe(true);
    expect(holds('(?i)ABC', 'xabc')).toBe(true);
    expect(holds('(^|/)\\.[^./]', 'x/.ssh')).toBe(true);
    expect(holds('(^|/)\\.[^./]', '.ssh')).toBe(true);
    expect(holds('(^|/)\\.[^./]', 'x.ssh')).toBe(false);
    expect(holds('a.*?b', 'aXb')).toBe(true);
    expect(holds('[\\w.-]+@', 'john.d-o@x')).toBe(true);
    expect(holds('\\s-O\\s', 'wget -O x')).toBe(true);
    expect(holds('(?P<x>ab){2}', 'abab')).toBe(true);
  });
  it('refuses what has no exact portable form', () => {
    for (const source of ['a\\bb', '(?=a)', '(a)\\1', 'a*+', 'a^b']) expect(re(source), source).toHaveProperty('problem');
  });
});

describe('documents and metadata', () => {
  it('reads metadata: level, dates in both spellings, authors, MITRE, status', () => {
    const text = `title: T\nid: ${ID.toUpperCase()}\nstatus: experimental\ndescription: D\nauthor: A, B ,C\ndate: 2021/03/04\nmodified: 2022-01-02\nlevel: informational\ntags:\n  - attack.execution\n  - attack.t1059.001\n  - attack.defense_evasion\n  - cve.2021-1\nreferences:\n  - https://x\nfalsepositives: Admins\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image: x\n  condition: sel\n`;
    const r = importSigma('t.yml', text).rules[0] as Rule;
    expect(r).toMatchObject({ id: ID, name: 'T', description: 'D', author: ['A', 'B', 'C'], severity: 'low', created: '2021-03-04', updated: '2022-01-02', references: ['https://x'], falsePositives: ['Admins'], tests: [] });
    expect(r.tags).toContain('status:experimental');
    expect(r.mitre.map((t) => t.tactic.id)).toEqual(['TA0002', 'TA0005']);
    expect(r.mitre[0]?.techniques).toEqual([{ id: 'T1059', name: 'T1059', subtechniques: [{ id: 'T1059.001', name: 'T1059.001' }] }]);
    expect(r.provenance).toEqual({ kind: 'sigma', location: { file: 't.yml', line: 1, column: 1 } });
  });
  it('action: global is merged into each rule document; correlations and filters are reported', () => {
    const text = [
      'action: global\ntitle: G\nstatus: test\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  condition: sel\nlevel: low',
      `id: ${ID}\ndetection:\n  sel:\n    CommandLine: one`,
      `id: 1b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b7a10\ndetection:\n  sel:\n    CommandLine: two`,
      'title: C\nid: 2b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b7a10\ncorrelation:\n  type: event_count\n  rules: [x]',
      'title: F\nid: 3b6c1f5e-2d7a-4c1e-9f3a-5e8d2c4b7a10\nlogsource:\n  product: windows\nfilter:\n  rules: [x]',
    ].join('\n---\n');
    const r = importSigma('t.yml', text);
    expect(r.rules.map((x) => x.name)).toEqual(['G', 'G']);
    expect(evaluate((r.rules[1] as Rule).query, proc('TWO'))).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SIEMC-I103', 'SIEMC-I104']);
  });
  it('bad YAML and bad ids are located errors, never throws', () => {
    expect(importSigma('t.yml', 'title: [x\n').diagnostics[0]).toMatchObject({ code: 'SIEMC-I101', severity: 'error' });
    expect(importSigma('t.yml', yaml('sel:\n  x: 1\ncondition: sel').replace(ID, 'nope')).diagnostics[0]).toMatchObject({ code: 'SIEMC-I112', location: { line: 2 } });
    for (const text of ['', '- a', 'title: x', 'detection: 5', `title: t\nid: ${ID}\nlogsource: {}\ndetection:\n  sel: {}\n  condition: sel`]) {
      const r = importSigma('t.yml', text);
      expect(r.rules).toEqual([]);
    }
  });
});

describe('field names', () => {
  it('uses the customField grammar of the DSL, and refuses other names', () => {
    expect(FIELD_NAME.source).toBe(DSL_FIELD_NAME.source);
    expect(refused("sel:\n  'Service Name': x\ncondition: sel", 'product: aws').code).toBe('SIEMC-I117');
  });
});

describe('taxonomy', () => {
  it('maps Sigma names to ECS per log source, and back to a name that maps to the same field', () => {
    const proc = { product: 'windows', category: 'process_creation' };
    expect(ecsFieldForSigma('CommandLine', proc)).toBe('process.command_line');
    expect(ecsFieldForSigma('CommandLine', { product: 'windows', service: 'powershell-classic' })).toBe('powershell.command.value');
    expect(ecsFieldForSigma('Image', { product: 'linux', category: 'process_creation' })).toBeUndefined();
    for (const source of [proc, { product: 'windows', category: 'file_event' }, { product: 'windows', service: 'security' }, { product: 'macos', category: 'process_creation' }]) {
      for (const sigma of ['Image', 'CommandLine', 'ParentImage', 'TargetFilename', 'User', 'EventID', 'QueryName', 'SubjectUserName', 'ProcessId']) {
        const ecs = ecsFieldForSigma(sigma, source);
        if (ecs === undefined) continue;
        const back = sigmaFieldForEcs(ecs, source);
        // Names SigmaHQ's taxonomy keeps to other log sources (QueryName: dns_query) are read on
        // import but never written there; every other name comes back as a name of the same field.
        if (back === undefined && !belongsTo(sigma, source)) continue;
        expect(back === undefined ? undefined : ecsFieldForSigma(back, source), `${sigma} in ${JSON.stringify(source)}`).toBe(ecs);
      }
    }
  });
});
