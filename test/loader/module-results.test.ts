/** Cached module results: a rebuild runs only the rule modules whose source or imports changed. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/compile.js';
import { backends } from '../../src/backends/registry.js';
import { originOf } from '../../src/ir/origins.js';
import type { Node } from '../../src/ir/nodes.js';
import { loadRules, type LoadResult } from '../../src/loader/load.js';

function project(files: Record<string, string>): { root: string; rules: string; write: (path: string, text: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'siemc-results-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', '{"name":"p","private":true,"type":"module"}\n');
  for (const [path, text] of Object.entries(files)) write(path, text);
  return { root, rules: join(root, 'rules'), write };
}

const META = `name: 'R', description: 'd', author: ['t'], license: 'Apache-2.0', severity: 'low', riskScore: 1,
  schedule: { interval: '5m', from: 'now-9m' }, maxSignals: 1, index: ['logs-*'], tags: [], mitre: [], references: [],
  falsePositives: [], version: 1`;
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** A rule module matching `value` on process.name, importing the shared list when `shared`. */
const ruleModule = (n: number, value: string, shared = false): string =>
  `import { any, defineRule, field } from 'siemc';\n${shared ? "import { names } from '../lists/names.js';\n" : ''}` +
  `export const r${n} = defineRule({ id: '${id(n)}', ${META},\n  query: any(field('process.name').equals('${value}')${shared ? ", field('process.parent.name').in(names)" : ''}),\n` +
  `  tests: [{ name: 'x', expect: 'match', event: { process: { name: '${value}' } } }],\n});\n`;
const list = (names: readonly string[]): string => `export const names: readonly string[] = ${JSON.stringify(names)};\n`;

const load = (rules: string): Promise<LoadResult> => loadRules(rules, { typecheck: false, reuseModules: true });

/** The origins of a query's nodes, in walk order. */
function origins(node: Node): unknown[] {
  const children = node.kind === 'and' || node.kind === 'or' ? node.children : node.kind === 'not' ? [node.child] : [];
  return [originOf(node) ?? null, ...children.flatMap(origins)];
}

/** A shared list, two rules importing it (1, 2) and one that does not (3). */
const listAndThreeRules = (): ReturnType<typeof project> =>
  project({
    'rules/lists/names.ts': list(['cmd.exe']),
    'rules/a/rule.ts': ruleModule(1, 'a.exe', true),
    'rules/b/rule.ts': ruleModule(2, 'b.exe', true),
    'rules/c/rule.ts': ruleModule(3, 'c.exe'),
  });

describe('cached module results', () => {
  it('after editing one rule, runs only that module; the others come back equal, origins and outputs included', async () => {
    const p = listAndThreeRules();
    const fresh = await load(p.rules);
    expect(fresh.diagnostics).toEqual([]);
    expect(fresh.modules).toEqual({ ran: 4, reused: 0 });

    const again = await load(p.rules);
    expect(again.modules).toEqual({ ran: 0, reused: 4 });
    expect(again.rules).toEqual(fresh.rules);
    expect(again.rules.map((r) => origins(r.query))).toEqual(fresh.rules.map((r) => origins(r.query)));
    expect(compileRules(again.rules, backends).outputs.map((o) => o.text)).toEqual(compileRules(fresh.rules, backends).outputs.map((o) => o.text));
    expect(again.inputs?.slice().sort()).toEqual(fresh.inputs?.slice().sort());

    p.write('rules/c/rule.ts', ruleModule(3, 'c2.exe'));
    const edited = await load(p.rules);
    expect(edited.modules).toEqual({ ran: 1, reused: 3 });
    expect(edited.rules.map((r) => r.id)).toEqual([id(1), id(2), id(3)]);
    expect(JSON.stringify(edited.rules[2]?.query)).toContain('c2.exe');
    rmSync(p.root, { recursive: true, force: true });
  });

  it('after editing a shared list, runs every module importing it, and their rules change', async () => {
    const p = listAndThreeRules();
    await load(p.rules);
    p.write('rules/lists/names.ts', list(['cmd.exe', 'powershell.exe']));
    const edited = await load(p.rules);
    // The list and its two importers run; the rule that does not import it is reused.
    expect(edited.modules).toEqual({ ran: 3, reused: 1 });
    for (const rule of edited.rules.slice(0, 2)) expect(JSON.stringify(rule.query)).toContain('powershell.exe');
    expect(JSON.stringify(edited.rules[2]?.query)).not.toContain('powershell.exe');
    rmSync(p.root, { recursive: true, force: true });
  });

  it('reports the problems of a module that did not run, at the same file:line:col with its code frame', async () => {
    const p = project({
      'rules/a/rule.ts': ruleModule(1, 'a.exe'),
      'rules/b/rule.ts': `import { defineRule, field } from 'siemc';\nexport const r = defineRule({ id: '${id(2)}', ${META},\n  query: field('process.name').in([]),\n  tests: [{ name: 'x', expect: 'no match', event: {} }],\n});\n`,
    });
    const fresh = await load(p.rules);
    const problem = fresh.diagnostics.find((d) => d.code === 'SIEMC-R011');
    expect(problem?.location).toMatchObject({ file: join(p.rules, 'b/rule.ts'), line: 5 });
    p.write('rules/a/rule.ts', ruleModule(1, 'a2.exe'));
    const again = await load(p.rules);
    expect(again.modules).toEqual({ ran: 1, reused: 1 });
    expect(again.diagnostics).toEqual(fresh.diagnostics);
    rmSync(p.root, { recursive: true, force: true });
  });

  it('reads again a Markdown file that changed, and always runs a module that imports a Node built-in', async () => {
    const guide = `import { defineRule, field, markdown } from 'siemc';\nexport const r = defineRule({ id: '${id(1)}', ${META}, note: markdown(import.meta.url, './guide.md'),\n  query: field('process.name').equals('a.exe'),\n  tests: [{ name: 'x', expect: 'match', event: { process: { name: 'a.exe' } } }],\n});\n`;
    const builtin = `import { basename } from 'node:path';\n${ruleModule(2, 'b.exe').replace("equals('b.exe')", "equals(basename('/x/b.exe'))")}`;
    const p = project({ 'rules/a/rule.ts': guide, 'rules/a/guide.md': '# One\n', 'rules/b/rule.ts': builtin });
    expect((await load(p.rules)).modules).toEqual({ ran: 2, reused: 0 });
    expect((await load(p.rules)).modules).toEqual({ ran: 1, reused: 1 });
    p.write('rules/a/guide.md', '# Two\n');
    const edited = await load(p.rules);
    expect(edited.modules).toEqual({ ran: 2, reused: 0 });
    expect(edited.rules[0]?.note).toBe('# Two\n');
    rmSync(p.root, { recursive: true, force: true });
  });

  it('keeps one rule for a rule re-exported by another module, whether run or reused', async () => {
    const p = project({
      'rules/a/rule.ts': ruleModule(1, 'a.exe'),
      'rules/b/index.ts': `export { r1 } from '../a/rule.js';\nexport const other = 1;\n`,
    });
    const fresh = await load(p.rules);
    const again = await load(p.rules);
    expect(again.modules?.reused).toBe(2);
    expect(again.rules.map((r) => r.id)).toEqual([id(1)]);
    expect(again.diagnostics).toEqual(fresh.diagnostics);
    rmSync(p.root, { recursive: true, force: true });
  });

  it('keeps a node written in two places one node, so compiling it under not and outside gives the same directions', async () => {
    const rule = `import { all, any, defineRule, field, not } from 'siemc';
const c = field('process.command_line').matches('svc[0-9]+');
export const r = defineRule({ id: '${id(9)}', ${META},
  query: all(field('host.name').exists(), any(c, not(c))),
  tests: [{ name: 'x', expect: 'match', event: { host: { name: 'h' }, process: { command_line: 'svc1' } } }],
});
`;
    const p = project({ 'rules/a/rule.ts': rule });
    const fresh = await load(p.rules);
    expect(fresh.diagnostics).toEqual([]);
    const again = await load(p.rules);
    expect(again.modules).toEqual({ ran: 0, reused: 1 });
    const directions = (r: LoadResult) => compileRules(r.rules, backends).diagnostics.map((d) => [d.target, d.code, d.clause, d.direction]);
    // Some target approximates the regex, and says so for the node under both polarities.
    expect(directions(fresh).some(([, , , direction]) => direction === 'not expressible')).toBe(true);
    expect(directions(again)).toEqual(directions(fresh));
    const [a, b] = ((again.rules[0]?.query as { children: readonly Node[] }).children[1] as { children: readonly Node[] }).children;
    expect((b as { child: Node }).child).toBe(a);
  });
});
