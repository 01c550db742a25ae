import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankPlainTests } from '../../src/loader/test-data.js';
import { checkInWorker, createTypechecker, hash, ProofFeed, type TestProof } from '../../src/loader/typecheck.js';
import { REPO_DIR } from '../support/rules.js';

function project(files: Record<string, string>): { root: string; rules: string; write: (path: string, text: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'siemc-tc-'));
  const write = (path: string, text: string): string => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  };
  // The DSL's types from this repository's sources, as a user's node_modules/siemc would give them.
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'ES2022', target: 'ES2022', moduleResolution: 'Bundler', lib: ['ES2023'], types: ['node'], typeRoots: [`${REPO_DIR}node_modules/@types`], skipLibCheck: true, paths: { siemc: [`${REPO_DIR}src/index.ts`] } } }));
  for (const [p, t] of Object.entries(files)) write(p, t);
  return { root, rules: join(root, 'rules'), write };
}

const good = (list = "import { names } from '../lists/names.js';") => `import { field } from 'siemc';\n${list}\nexport const c = field('process.name').in(names);\n`;
const LIST = "export const names: readonly string[] = ['a.exe'];\n";

describe('incremental type check', () => {
  it('after editing one file, re-checks it (and what imports it) and still reports every error', async () => {
    const p = project({ 'rules/lists/names.ts': LIST, 'rules/a/rule.ts': good(), 'rules/b/rule.ts': good(), 'rules/c/rule.ts': good() });
    const files = ['a', 'b', 'c'].map((n) => join(p.rules, n, 'rule.ts')).concat(join(p.rules, 'lists/names.ts'));
    const stateDir = join(p.root, '.siemc/cache/rules/x');
    const first = createTypechecker(p.rules, { stateDir });
    expect(await first.check(files)).toEqual([]);
    expect(first.lastMode).toBe('full');

    // A misspelt field in a: found by a new run (a new process, as the CLI is).
    p.write('rules/a/rule.ts', `import { field } from 'siemc';\n\nexport const c = field('process.nam').exists();\n`);
    const second = createTypechecker(p.rules, { stateDir });
    const afterA = await second.check(files);
    expect(second.lastMode).toBe('subset');
    expect(afterA.map((d) => [d.location?.file, d.location?.line, d.code])).toEqual([[files[0], 3, 'SIEMC-TS2345']]);

    // Another error in b: the error in a (not re-checked) is still reported.
    p.write('rules/b/rule.ts', `import { field } from 'siemc';\nexport const c = field('process.pid').equals('42');\n`);
    const third = createTypechecker(p.rules, { stateDir });
    const both = await third.check(files);
    expect(third.lastMode).toBe('subset');
    expect(both.map((d) => [d.location?.file, d.location?.line])).toEqual([[files[0], 3], [files[1], 2]]);

    // Nothing changed: the same errors, without TypeScript.
    const fourth = createTypechecker(p.rules, { stateDir });
    expect(await fourth.check(files)).toEqual(both);
    expect(fourth.lastMode).toBe('unchanged');

    // The shared list changes type: c, which imports it, now fails too.
    p.write('rules/lists/names.ts', 'export const names: readonly number[] = [1];\n');
    const fifth = createTypechecker(p.rules, { stateDir });
    const withList = await fifth.check(files);
    expect(withList.map((d) => d.location?.file)).toEqual([files[0], files[1], files[2]]);

    // Fixing everything leaves nothing, also across a fresh whole-program check.
    p.write('rules/lists/names.ts', LIST);
    p.write('rules/a/rule.ts', good());
    p.write('rules/b/rule.ts', good());
    expect(await createTypechecker(p.rules, { stateDir }).check(files)).toEqual([]);
    expect(await createTypechecker(p.rules).check(files)).toEqual([]);
  });

  it('still reports errors inside test events that are not plain data', async () => {
    const rule = (tests: string) =>
      `import { defineRule, field, type RuleTest } from 'siemc';\nconst when = undefined;\nexport const t: readonly RuleTest[] = ${tests};\nexport const r = defineRule({ id: 'x', name: 'n', description: 'd', author: [], license: 'l', severity: 'low', riskScore: 1, schedule: { interval: '5m', from: 'now-9m' }, maxSignals: 1, index: [], tags: [], mitre: [], references: [], falsePositives: [], version: 1, query: field('process.name').exists(),\n  tests: ${tests},\n});\n`;
    const tests = `[{ name: 'a', expect: 'match', event: { a: 1 } },\n  { name: 'b', expect: 'matches', event: {} },\n  { name: 'c', expect: 'match', event: { at: when } }]`;
    const p = project({ 'rules/a/rule.ts': rule(tests) });
    const ds = await createTypechecker(p.rules).check([join(p.rules, 'a/rule.ts')]);
    // 'matches' is no verdict and `undefined` is no JSON, in both places a RuleTest array is written.
    expect(ds.map((d) => d.location?.line), ds.map((d) => d.message).join('\n')).toEqual([4, 5, 8, 9]);
  });
});

describe('proofs made elsewhere', () => {
  it('blanks with a proof given for the very text, and proves a text whose hash differs again', async () => {
    const text = `import { field } from 'siemc';\nexport const c = field('process.nam').exists();\n`;
    const p = project({ 'rules/a/rule.ts': text });
    const file = join(p.rules, 'a/rule.ts');
    // A "proof" covering the misspelt call: used, it hides the error, which shows it was used.
    const start = text.indexOf("field('process.nam')");
    const ranges = [start, start + "field('process.nam')".length];
    const used = await createTypechecker(p.rules, { proofs: new Map([[file, { hash: hash(text), ranges }]]) }).check([file]);
    expect(used.map((d) => d.code)).not.toContain('SIEMC-TS2345');
    const stale = await createTypechecker(p.rules, { proofs: new Map([[file, { hash: hash(`${text} `), ranges }]]) }).check([file]);
    expect(stale.map((d) => [d.location?.line, d.code])).toEqual([[2, 'SIEMC-TS2345']]);
  });

  it('a feed keeps proofs until a check is attached, then posts them with their texts\' hashes', () => {
    const feed = new ProofFeed();
    feed.add('/r/a.ts', 'aaa', [0, 1]);
    const posted: [string, TestProof][][] = [];
    feed.attach((proofs) => posted.push(proofs));
    feed.add('/r/b.ts', 'bbb', []);
    feed.flush();
    expect(posted).toEqual([[['/r/a.ts', { hash: hash('aaa'), ranges: [0, 1] }]], [['/r/b.ts', { hash: hash('bbb'), ranges: [] }]]]);
    feed.close();
    feed.add('/r/c.ts', 'ccc', []);
    feed.flush();
    expect(posted).toHaveLength(2);
  });

  it('the check worker ends itself once it has answered, seen by a thread that never yields', async () => {
    const p = project({ 'rules/a/rule.ts': good("const names = ['a.exe'];"), 'rules/b/rule.ts': "export const x: number = 'y';\n" });
    const feed = new ProofFeed();
    const checking = checkInWorker([join(p.rules, 'a/rule.ts'), join(p.rules, 'b/rule.ts')], p.rules, {}, feed);
    expect(feed.checkingHere()).toBe(true);
    // A build compiles without yielding until the check's answer is read: the worker must not
    // wait for that to end (and free its program), and a helper may start once it has.
    const idle = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const until = Date.now() + 60_000;
    while (feed.checkingHere() && Date.now() < until) Atomics.wait(idle, 0, 0, 50);
    expect(feed.checkingHere()).toBe(false);
    expect((await checking).map((d) => [d.location?.file.endsWith('b/rule.ts'), d.code])).toEqual([[true, 'SIEMC-TS2322']]);
  });
});

describe('blanking plain test data', () => {
  const src = `import { defineRule, type RuleTest } from 'siemc';
// tests: [{ name: 'in a comment', expect: 'match', event: {} }]
export const t: readonly RuleTest[] = [
  { name: 'plain', expect: 'no match', event: { process: { name: "a\\\\b.exe", pid: -1, args: ['x', null, true] } } },
  { name: 'spread', expect: 'match', event: { ...base } },
  { 'name': 'quoted', "expect": 'match', event: {}, },
  { name: 'twice', expect: 'match', event: { a: 1, 'a': 2 } },
];
const s = \`tests: [\${'x'}]\`;
`;
  it('blanks proven elements only, keeping the line and column of everything else', () => {
    const out = blankPlainTests(src);
    const lines = src.split('\n');
    const outLines = out.split('\n');
    expect(outLines.length).toBe(lines.length);
    // A line either loses a whole element (nothing else on it) or keeps its text where it was.
    lines.forEach((line, i) => {
      const kept = outLines[i] as string;
      if (kept.trim() !== '') expect(line.startsWith(kept.trimEnd()) || line.endsWith(kept.trim())).toBe(true);
    });
    const oneLine = "import { type RuleTest } from 'siemc';\nconst t: RuleTest[] = [{ name: 'a', expect: 'match', event: {} }, { name: 'b', expect: 'match', event: {} }]; const x: number = 'y';\n";
    const blanked = blankPlainTests(oneLine);
    expect(blanked.split('\n')[1]?.indexOf("]; const x: number = 'y';")).toBe(oneLine.split('\n')[1]?.indexOf("]; const x: number = 'y';"));
    expect(blanked.length).toBeLessThanOrEqual(oneLine.length);
    expect(out).not.toContain("'plain'");
    expect(out).not.toContain("'quoted'");
    expect(out).toContain("{ name: 'spread', expect: 'match', event: { ...base } },");
    expect(out).toContain("{ name: 'twice', expect: 'match', event: { a: 1, 'a': 2 } },");
    expect(out).toContain("// tests: [{ name: 'in a comment'");
    expect(out.endsWith("const s = `tests: [${'x'}]`;\n")).toBe(true);
  });

  it('leaves arrays that are not typed RuleTest alone', () => {
    const other = "import { defineRule } from './mine.js';\nexport const t = defineRule({ tests: [{ name: 'a', expect: 'match', event: {} }] });\n";
    expect(blankPlainTests(other)).toBe(other);
  });
});
