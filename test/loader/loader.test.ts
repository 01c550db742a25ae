import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/loader/load.js';

/** A throwaway rules project: files relative to its root (a package.json marks it). */
function project(files: Record<string, string>): { root: string; rules: string } {
  const root = mkdtempSync(join(tmpdir(), 'siemc-loader-'));
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true,"type":"module"}\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, rules: join(root, 'rules') };
}

const META = `name: 'R', description: 'd', author: ['t'], license: 'Apache-2.0', severity: 'low', riskScore: 1,
  schedule: { interval: '5m', from: 'now-9m' }, maxSignals: 1, index: ['logs-*'], tags: [], mitre: [], references: [],
  falsePositives: [], version: 1`;
const rule = (id: string, query: string, extra = '') =>
  `defineRule({ id: '${id}', ${META}, ${extra}\n  query: ${query},\n  tests: [{ name: 'x', expect: 'match', event: { process: { name: 'a.exe' } } }],\n})`;
const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';

describe('rule loader', () => {
  it('reports problems at file:line:col of the TypeScript source', async () => {
    const p = project({
      'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\n\ntype Unused = { a: number };\nexport const r: unknown = ${rule(ID1, "field('process.name').in([])")};\n`,
    });
    const { diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    const empty = diagnostics.find((d) => d.code === 'SIEMC-R011');
    expect(empty?.location?.file).toBe(join(p.rules, 'a/rule.ts'));
    // The query is on line 7 of the source (types before it are gone from the compiled code).
    expect(empty?.location?.line).toBe(7);
    expect(empty?.location?.column).toBeGreaterThan(10);
    expect(empty?.frame).toContain("> 7 |   query: field('process.name').in([]),");
  });

  it('gives each rule its source location, also through the bundle fallback', async () => {
    const files = {
      'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\nimport { tag } from 'esm-only';\n\nexport const r = ${rule(ID1, "field('process.name').equals(tag)")};\n`,
      // A package Node cannot require (ESM-only exports): only a bundler resolves it.
      'node_modules/esm-only/package.json': '{"name":"esm-only","type":"module","exports":{"import":"./index.js"}}',
      'node_modules/esm-only/index.js': "export const tag = 'a.exe';\n",
    };
    const p = project(files);
    const { rules, diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    expect(diagnostics).toEqual([]);
    expect(rules[0]?.location).toMatchObject({ file: join(p.rules, 'a/rule.ts'), line: 4 });
  });

  it('loads again after stopping esbuild\'s service, through the graph and through the bundle fallback', async () => {
    // The CLI's build stops the service once its modules are compiled; any later esbuild call
    // (the next load in watch-like use, or the bundle a module needs) starts it again.
    const plain = project({ 'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\nexport const r = ${rule(ID1, "field('process.name').equals('a.exe')")};\n` });
    const needsBundle = project({
      'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\nimport { tag } from 'esm-only';\n\nexport const r = ${rule(ID2, "field('process.name').equals(tag)")};\n`,
      'node_modules/esm-only/package.json': '{"name":"esm-only","type":"module","exports":{"import":"./index.js"}}',
      'node_modules/esm-only/index.js': "export const tag = 'a.exe';\n",
    });
    for (const [p, id] of [[plain, ID1], [needsBundle, ID2], [plain, ID1]] as const) {
      const { rules, diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false, stopEsbuild: true });
      expect(diagnostics).toEqual([]);
      expect(rules.map((r) => r.id)).toEqual([id]);
    }
  });

  it('makes a rule built with defineRule but not exported an error at its line', async () => {
    const p = project({
      'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\nexport const kept = ${rule(ID1, "field('process.name').equals('a.exe')")};\nconst forgotten = ${rule(ID2, "field('process.name').equals('a.exe')")};\nvoid forgotten;\n`,
    });
    const { rules, diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    expect(rules).toEqual([]);
    const d = diagnostics.find((x) => x.code === 'SIEMC-L002');
    expect(d?.message).toBe(`rule ${ID2} is defined with defineRule but not exported, so siemc cannot build it; export it from its module`);
    expect(d?.location).toMatchObject({ file: join(p.rules, 'a/rule.ts'), line: 8 });
  });

  it('reads a Markdown file next to the rule through import.meta.url', async () => {
    const p = project({
      'rules/a/rule.ts': `import { defineRule, field, markdown } from 'siemc';\nexport const r = ${rule(ID1, "field('process.name').equals('a.exe')", "note: markdown(import.meta.url, './guide.md'),")};\n`,
      'rules/a/guide.md': '# Guide\n\nLook at the parent process.\n',
    });
    const { rules, diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    expect(diagnostics).toEqual([]);
    expect(rules[0]?.note).toBe('# Guide\n\nLook at the parent process.\n');
  });

  it('runs a shared list module once for all the rules importing it', async () => {
    const counter = `siemcListLoads${Date.now()}`;
    const list = `const g = globalThis as { ${counter}?: number };\ng.${counter} = (g.${counter} ?? 0) + 1;\nexport const names: readonly string[] = ['a.exe'];\n`;
    const user = (id: string) => `import { defineRule, field } from 'siemc';\nimport { names } from '../lists/names.js';\nexport const r = ${rule(id, "field('process.name').in(names)")};\n`;
    const p = project({ 'rules/lists/names.ts': list, 'rules/a/rule.ts': user(ID1), 'rules/b/rule.ts': user(ID2) });
    for (const cache of [false, true, true]) {
      (globalThis as Record<string, unknown>)[counter] = 0;
      const { rules, diagnostics } = await loadRules(p.rules, { typecheck: false, cache });
      expect(diagnostics).toEqual([]);
      expect(rules.map((r) => r.id)).toEqual([ID1, ID2]);
      expect((globalThis as Record<string, unknown>)[counter]).toBe(1);
    }
  });

  it('names a module that fails to load, at the line that threw', async () => {
    const p = project({
      'rules/a/rule.ts': `import { defineRule, field } from 'siemc';\nexport const r = ${rule(ID1, "field('process.name').equals('a.exe')")};\n`,
      'rules/b/rule.ts': `export const x = 1;\n\nthrow new Error('no network here');\n`,
    });
    const { diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    const d = diagnostics.find((x) => x.code === 'SIEMC-L001');
    expect(d?.message).toBe(`${join(p.rules, 'b/rule.ts')} failed to load: no network here`);
    expect(d?.location).toMatchObject({ file: join(p.rules, 'b/rule.ts'), line: 3 });
  });

  it('names a module that does not compile', async () => {
    const p = project({ 'rules/b/rule.ts': `export const x = ;\n` });
    const { diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    expect(diagnostics[0]?.code).toBe('SIEMC-L001');
    expect(diagnostics[0]?.message).toContain(`${join(p.rules, 'b/rule.ts')} failed to load:`);
    expect(diagnostics[0]?.location?.line).toBe(1);
  });

  it('names every module that does not compile, however many compile passes the folder takes', async () => {
    // 250 modules: esbuild compiles them 100 per pass; the broken ones sit in the first and the last.
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`rules/m${String(i).padStart(3, '0')}.ts`] = i === 5 || i === 240 ? 'export const x = ;\n' : `export const x${i} = ${i};\n`;
    const p = project(files);
    const { diagnostics } = await loadRules(p.rules, { typecheck: false, cache: false });
    expect(diagnostics.map((d) => d.message.split(' failed to load')[0])).toEqual([join(p.rules, 'm005.ts'), join(p.rules, 'm240.ts')]);
  });
});
