/** siemc build after an edit: only the edited modules run, and the outputs are as a full build makes them. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { ruleId, ruleModule, tree, workspace, writeRules } from '../support/workspace.js';

const ran = (stderr: string): string | undefined => /siemc: (\d+ rule module\(s\) run, \d+ from the cache)/.exec(stderr)?.[1];
const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => /: warning SIEMC-A\d+: /.test(l));

describe('siemc build after an edit', () => {
  const ws = workspace();
  const rules = writeRules(ws, { 'a.ts': ruleModule(2, 'one', 0), 'b.ts': ruleModule(2, 'one', 2), 'c.ts': ruleModule(1, 'kiss', 4) });
  const out = join(ws, 'out');
  const build = (...extra: string[]) => siemc(['build', '--verbose', '--rules', rules, '--out', out, ...extra], ws);
  const first = build();

  it('runs every module the first time', () => {
    expect(first.status, first.stderr).toBe(0);
    expect(ran(first.stderr)).toBe('3 rule module(s) run, 0 from the cache');
  });

  it('runs only the edited module, still prints the warnings of the others, and writes what a full build writes', () => {
    writeFileSync(join(rules, 'b.ts'), ruleModule(2, 'two', 2));
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    expect(ran(r.stderr)).toBe('1 rule module(s) run, 2 from the cache');
    // Approximation warnings of the rules in a.ts and c.ts (not run) are printed as before.
    expect(warnings(first.stderr).filter((l) => l.includes('/c.ts')).length).toBeGreaterThan(0);
    expect(warnings(r.stderr).filter((l) => !l.includes('/b.ts')).sort()).toEqual(warnings(first.stderr).filter((l) => !l.includes('/b.ts')).sort());
    const incremental = tree(out);
    expect([...incremental.values()].some((t) => t.includes('tool-2-two.exe'))).toBe(true);
    // The same folder as a build from nothing.
    rmSync(join(ws, 'full'), { recursive: true, force: true });
    const full = siemc(['build', '--rules', rules, '--out', join(ws, 'full')], ws);
    expect(full.status, full.stderr).toBe(0);
    expect(tree(join(ws, 'full'))).toEqual(incremental);
  });

  it('removes the outputs of a deleted module', () => {
    const before = [...tree(out).keys()].filter((p) => p.startsWith(`${ruleId(4)}/`));
    expect(before.length).toBeGreaterThan(0);
    rmSync(join(rules, 'c.ts'));
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${before.length} deleted`);
    for (const p of before) expect(existsSync(join(out, p)), p).toBe(false);
    expect(readFileSync(join(out, '.siemc-manifest.json'), 'utf8')).not.toContain(ruleId(4));
  });

  it('reports a type error in the edited file at file:line:col, and writes nothing', () => {
    const before = tree(out);
    writeFileSync(join(rules, 'a.ts'), ruleModule(2, 'three', 0).replace("field('process.name')", "field('process.nam')"));
    const r = build();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rules\/a\.ts:5:121: error SIEMC-TS2345: Argument of type '"process\.nam"'/m);
    expect(r.stderr).toContain("> 5 | export const rule0");
    expect(tree(out)).toEqual(before);
  });
});
