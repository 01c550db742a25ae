/**
 * Hostile inputs against ownership: siemc deletes only what it wrote, and a plain mistake (an
 * empty or mistyped rules folder) never passes for "no rules any more".
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { ruleId, ruleModule, tree, workspace, writeRules } from '../support/workspace.js';

function emptyFolder(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

describe('ownership of the output folder', () => {
  let ws: string;
  let rules: string;
  let out: string;
  beforeAll(() => {
    ws = workspace();
    rules = writeRules(ws, { 'a.ts': ruleModule(2, 'v1'), 'b.ts': ruleModule(1, 'v1', 2) });
    out = join(ws, 'out');
    const r = siemc(['build', '--rules', rules, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
  });

  it.each([
    ['an empty rules folder', () => emptyFolder(join(ws, 'empty')), /holds no rules/],
    ['a mistyped rules folder', () => join(ws, 'rulez'), /rules folder ".*rulez" does not exist; pass --rules/],
    ['a rules folder with only non-rule modules', () => writeRules(join(ws, 'plain'), { 'x.ts': 'export const x = 1;\n' }), /holds no rules/],
  ])('%s is an error and deletes nothing', (_what, folder, message) => {
    const before = tree(out);
    const r = siemc(['build', '--rules', folder(), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(tree(out)).toEqual(before);
  });

  it("keeps files it never wrote: a NOTES.md in a rule's folder, a foreign rule-like folder, a subfolder", () => {
    writeFileSync(join(out, ruleId(0), 'NOTES.md'), 'my notes\n');
    mkdirSync(join(out, ruleId(0), 'drafts'));
    writeFileSync(join(out, ruleId(0), 'drafts', 'eql.eql'), 'draft\n');
    const foreign = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    mkdirSync(join(out, foreign));
    writeFileSync(join(out, foreign, 'eql.eql'), 'not siemc\n');
    const r = siemc(['build', '--rules', rules, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, ruleId(0), 'NOTES.md'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(join(out, ruleId(0), 'drafts', 'eql.eql'), 'utf8')).toBe('draft\n');
    expect(readFileSync(join(out, foreign, 'eql.eql'), 'utf8')).toBe('not siemc\n');
    expect(siemc(['check', '--rules', rules, '--out', out]).status).toBe(0);
  });

  it("deletes a removed rule's files (and only those), and its folder once empty", () => {
    const before = tree(out);
    rmSync(join(rules, 'b.ts'));
    const r = siemc(['build', '--rules', rules, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const after = tree(out);
    const gone = [...before.keys()].filter((p) => !after.has(p));
    expect(gone.sort()).toEqual(['eql.eql', 'esdsl.json', 'kql.kql', 'sigma.yml', 'spl.spl'].map((f) => `${ruleId(2)}/${f}`));
    expect([...after.keys()].some((p) => p.startsWith(ruleId(2)))).toBe(false);
    writeRules(ws, { 'b.ts': ruleModule(1, 'v1', 2) });
  });

  it('a build of some targets keeps the other targets files', () => {
    siemc(['build', '--rules', rules, '--out', out]);
    const before = tree(out);
    const r = siemc(['build', '--rules', rules, '--out', out, '--target', 'eql']);
    expect(r.status, r.stderr).toBe(0);
    expect(tree(out)).toEqual(before);
  });

  it("package removes a removed rule's Kibana file, and keeps files it did not write", () => {
    const pkg = join(ws, 'pkg');
    expect(siemc(['package', '--rules', rules, '--out', pkg]).status).toBe(0);
    expect(tree(pkg).has(`kibana/${ruleId(2)}.json`)).toBe(true);
    expect(tree(pkg).has('sigma/elastic_rule_2.yml')).toBe(true);
    writeFileSync(join(pkg, 'kibana', 'README.txt'), 'ours\n');
    rmSync(join(rules, 'b.ts'));
    const r = siemc(['package', '--rules', rules, '--out', pkg]);
    writeRules(ws, { 'b.ts': ruleModule(1, 'v1', 2) });
    expect(r.status, r.stderr).toBe(0);
    const files = tree(pkg);
    expect(files.has(`kibana/${ruleId(2)}.json`)).toBe(false);
    expect(files.has('sigma/elastic_rule_2.yml')).toBe(false);
    expect(files.get('kibana/README.txt')).toBe('ours\n');
    expect(files.get('kibana/rules.ndjson')?.split('\n').filter((l) => l !== '')).toHaveLength(2);
  });
});
