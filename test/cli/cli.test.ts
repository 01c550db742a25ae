import { existsSync, mkdtempSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'siemc-test-'));
const BAD = `${REPO_DIR}test/fixtures/bad-rules`;

describe('siemc build', () => {
  it('fails on a misspelt ECS field with file:line:col, a code frame, and writes nothing', () => {
    const out = join(tmp(), 'out');
    const r = siemc(['build', '--rules', `${BAD}/misspelt-field`, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/test\/fixtures\/bad-rules\/misspelt-field\/rule\.ts:19:\d+: error SIEMC-TS2345: .*dns\.question\.nam/);
    expect(r.stderr).toContain('> 19 |');
    expect(existsSync(out)).toBe(false);
  });

  it('reports every type error of the run, not only the first', () => {
    const r = siemc(['build', '--rules', `${BAD}/misspelt-field`, '--out', join(tmp(), 'out')]);
    // misspelt field, number on keyword, like on boolean, CIDR on keyword, string on number
    for (const line of [19, 4, 5, 6, 7]) expect(r.stderr).toMatch(new RegExp(`\\.ts:${line}:\\d+: error SIEMC-TS`));
    expect(r.stderr).toMatch(/\d+ errors; nothing written/);
  });

  it('reports every invalid rule (bad UUID, duplicate id, empty list) with its location', () => {
    const out = join(tmp(), 'out');
    const r = siemc(['build', '--rules', `${BAD}/invalid-rules`, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/rules\.ts:21:\d+: error SIEMC-R001: rule id "not-a-uuid"/);
    expect(r.stderr).toMatch(/rules\.ts:23:\d+: error SIEMC-R002: duplicate rule id/);
    expect(r.stderr).toMatch(/rules\.ts:24:\d+: error SIEMC-R011: empty value list for field process\.name/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports what no type check caught in a @ts-nocheck rule, each at its line, in one sentence', () => {
    const out = join(tmp(), 'out');
    const r = siemc(['build', '--rules', `${BAD}/untyped-rules`, '--out', out]);
    expect(r.status).toBe(1);
    const at = (line: number, code: string, message: string): void => {
      expect(r.stderr).toMatch(new RegExp(`untyped-rules/rules\\.ts:${line}:\\d+: error ${code}: ${message}`));
    };
    at(25, 'SIEMC-R040', 'severity "urgent" is not one of low, medium, high, critical');
    at(26, 'SIEMC-R020', 'MITRE tactic id "TA011" is not of the form TA0000');
    at(26, 'SIEMC-R022', 'MITRE sub-technique id "T1103\\.001" is not of the form T1102\\.000');
    at(27, 'SIEMC-R041', 'schedule interval "5 minutes" is not a whole number');
    at(27, 'SIEMC-R042', 'schedule from "9m" is not date math');
    at(28, 'SIEMC-R044', 'tags must be an array of strings, not "Windows"');
    at(28, 'SIEMC-R044', 'author must be an array of strings');
    at(29, 'SIEMC-R043', 'name must be a string, not number 42');
    at(29, 'SIEMC-R004', 'risk score "21" is not an integer');
    at(30, 'SIEMC-R047', 'unknown rule field "severty"');
    at(31, 'SIEMC-R033', 'test 1 expects "yes"');
    at(32, 'SIEMC-R045', 'description holds U\\+202E');
    at(33, 'SIEMC-R001', 'rule id 12 is not a lower-case UUID');
    at(34, 'SIEMC-R018', 'field name "" is not a dotted name');
    at(35, 'SIEMC-R018', 'field name "a\\|b" is not a dotted name');
    at(36, 'SIEMC-R017', 'a value for process\\.name "a\\\\u0000b" holds a NUL character');
    at(37, 'SIEMC-R019', 'a value for process\\.name must be a string, not number 5');
    at(38, 'SIEMC-R019', "the rule's query must be a condition");
    // DSL problems come with a code frame at the call.
    expect(r.stderr).toContain("> 35 | export const pipeField = defineRule({ ...ok, id: '10000000-0000-4000-8000-000000000011', query: customField('a|b'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('prints diagnostics as JSON lines with --format json', () => {
    const r = siemc(['build', '--rules', `${BAD}/invalid-rules`, '--out', join(tmp(), 'out'), '--format', 'json']);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { code: string; location?: { line: number } });
    expect(lines.map((l) => l.code)).toEqual(expect.arrayContaining(['SIEMC-R001', 'SIEMC-R002', 'SIEMC-R011']));
  });

  it('writes one file per rule and target, and check then passes', () => {
    const out = join(tmp(), 'out');
    const b = siemc(['build', '--out', out]);
    expect(b.status, b.stderr).toBe(0);
    expect(existsSync(join(out, REFERENCE_RULE_ID, 'eql.eql'))).toBe(true);
    expect(existsSync(join(out, REFERENCE_RULE_ID, 'esdsl.json'))).toBe(true);
    expect(siemc(['check', '--out', out]).status).toBe(0);
  });

  it('an unknown option or target is one clear sentence, not a stack trace', () => {
    const r = siemc(['build', '--target', 'nosuch']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^siemc: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('siemc build --strict', () => {
  it('fails on the reference rule for KQL, naming the approximated clauses, and writes nothing', () => {
    const out = join(tmp(), 'out');
    const r = siemc(['build', '--strict', '--target', 'kql', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error SIEMC-A101: .*clause and > match dns\.question\.name "Add new WebSvc domains here"; narrowed\]/);
    expect(r.stderr).toMatch(/error SIEMC-A102: .*`\?` is written as `\*`.*widened\]/);
    expect(r.stderr).toMatch(/error SIEMC-A103: .*clause and > not "Insert noisy false positives here" > or > match process\.executable/);
    expect(r.stderr).toContain('strict mode: approximations are errors; nothing written.');
    expect(existsSync(out)).toBe(false);
  });

  it('passes for the exact targets (Query DSL, EQL, SPL)', () => {
    const r = siemc(['build', '--strict', '--target', 'esdsl', '--target', 'eql', '--target', 'spl', '--out', join(tmp(), 'out')]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('prints approximations as JSON with --format json', () => {
    const r = siemc(['build', '--target', 'kql', '--format', 'json', '--out', join(tmp(), 'out')]);
    expect(r.status).toBe(0);
    const ds = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { code: string; severity: string; direction: string; target: string; location: { line: number } });
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.severity === 'warning' && d.target === 'kql' && d.location.line > 0)).toBe(true);
    expect(new Set(ds.map((d) => d.direction))).toEqual(new Set(['narrowed', 'widened', 'not expressible']));
  });
});

describe('siemc check', () => {
  it('passes on the committed snapshots', () => {
    const r = siemc(['check']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('fails with a readable diff on a stale file and names orphans', () => {
    const out = join(tmp(), 'out');
    cpSync(`${REPO_DIR}snapshots`, out, { recursive: true });
    const eqlFile = join(out, REFERENCE_RULE_ID, 'eql.eql');
    writeFileSync(eqlFile, readFileSync(eqlFile, 'utf8').replace('"paste.ee",\n', ''));
    // An orphan is a file siemc wrote (its manifest lists it) that nothing produces now; a file it never wrote is the user's.
    writeFileSync(join(out, REFERENCE_RULE_ID, 'old-target.txt'), 'x\n');
    writeFileSync(join(out, REFERENCE_RULE_ID, 'NOTES.md'), 'mine\n');
    const manifest = JSON.parse(readFileSync(join(out, '.siemc-manifest.json'), 'utf8')) as { files: string[] };
    writeFileSync(join(out, '.siemc-manifest.json'), JSON.stringify({ ...manifest, files: [...manifest.files, `${REFERENCE_RULE_ID}/old-target.txt`] }));
    const r = siemc(['check', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${REFERENCE_RULE_ID}/eql.eql is stale`);
    expect(r.stdout).toContain('+    "paste.ee",');
    expect(r.stdout).toContain(`${REFERENCE_RULE_ID}/old-target.txt is an orphan`);
    expect(r.stdout).not.toContain('NOTES.md');
    rmSync(out, { recursive: true });
  });
});

describe('siemc eval', () => {
  it('prints one verdict per event line, accepting bare events and {"event": ...} wrappers', () => {
    const dir = tmp();
    const events = join(dir, 'events.ndjson');
    const hit = { event: { category: 'network' }, host: { os: { type: 'windows' } }, network: { protocol: 'dns' }, process: { name: 'x.exe' }, dns: { question: { name: 'PASTEBIN.com' } } };
    writeFileSync(
      events,
      [JSON.stringify(hit), JSON.stringify({ event: hit }), '', JSON.stringify({ ...hit, dns: { question: { name: 'example.com' } } }), JSON.stringify({ event: { category: 'network' } })].join('\n'),
    );
    const r = siemc(['eval', '--rule', REFERENCE_RULE_ID, '--events', events]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '{"line":1,"match":true}\n{"line":2,"match":true}\n{"line":4,"match":false}\n{"line":5,"match":false}\n',
    );
  });

  it('names an unknown rule in one sentence', () => {
    const r = siemc(['eval', '--rule', 'nope', '--events', '/dev/null']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('siemc: no rule with id "nope" in rules/');
  });

  it('names a bad event line', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'e.ndjson'), '{"a":1}\n{oops\n');
    const r = siemc(['eval', '--rule', REFERENCE_RULE_ID, '--events', join(dir, 'e.ndjson')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/e\.ndjson:2 is not valid JSON/);
  });
});
