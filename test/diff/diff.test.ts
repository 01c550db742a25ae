import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { fieldValues } from '../../src/eval/values.js';
import { normalize } from '../../src/ir/normalize.js';
import { renderMarkdown } from '../../src/diff/render-markdown.js';
import { renderText } from '../../src/diff/render-text.js';
import { failsOn, mayBeBroader, mayBeNarrower } from '../../src/diff/rule-diff.js';
import { REFERENCE_RULE_ID, referenceRule } from '../support/rules.js';
import { resolveBase } from '../../src/diff/git.js';
import { DOMAINS_FILE, RULE_FILE, diffOf, dropTests, git, only, testRepo, type TestRepo } from './support.js';

let repo: TestRepo;

beforeAll(() => {
  repo = testRepo();
});
afterEach(() => repo.reset());
afterAll(() => repo.remove());

describe('siemc diff on the reference rule', () => {
  it('adding a domain reports that domain and "broader", with a witness that looks it up', async () => {
    repo.edit(DOMAINS_FILE, (t) => t.replace("  'pastebin.*',\n", "  'pastebin.*',\n  'evil.example',\n"));
    const report = await diffOf(repo);
    const d = only(report);
    expect(d).toMatchObject({ id: REFERENCE_RULE_ID, status: 'changed', change: 'logic', metadata: [] });
    expect(d.logic).toEqual([expect.objectContaining({ kind: 'values', added: ['evil.example'], removed: [], text: 'dns.question.name ("Add new WebSvc domains here"): + "evil.example"' })]);
    expect(d.semantics).toMatchObject({ relation: 'broader', proved: true, onlyBefore: [] });
    const witnesses = d.semantics?.onlyAfter ?? [];
    expect(witnesses.length).toBeGreaterThan(0);
    const before = normalize((await referenceRule()).query);
    for (const e of witnesses) {
      expect(evaluate(before, e)).toBe(false);
      expect(fieldValues(e, 'dns.question.name').map((v) => String(v).toLowerCase())).toContain('evil.example');
    }
    expect(d.targets.map((t) => t.target)).toEqual(['esdsl', 'eql', 'kql', 'spl', 'sigma']);
    expect(d.targets.find((t) => t.target === 'eql')?.diff).toContain('+    "evil.example",');
    expect(mayBeBroader(d)).toBe(true);
    expect(mayBeNarrower(d)).toBe(false);

    const md = renderMarkdown(report);
    expect(md).toContain('| Connection to Commonly Abused Web Services<br>`66883649-f908-4a5b-a1e0-54090a1d3a32` | logic | broader (proved) | esdsl, eql, kql, spl, sigma |');
    expect(md).toContain('`dns.question.name ("Add new WebSvc domains here"): + "evil.example"`');
    expect(md).toContain('"dns":{"question":{"name":"evil.example"}}');
    expect(md).toContain('<details><summary>eql (eql.eql)</summary>');
    // The summary table comes before the details.
    expect(md.indexOf('| rule | change | direction | targets affected |')).toBeLessThan(md.indexOf('<details>'));
    expect(renderText(report)).toContain('direction: broader (proved)');
    // The base's temporary tree is gone.
    expect(readdirSync(join(repo.dir, '.siemc', 'cache'))).toEqual([]);
  });

  it('removing an exclusion reports "broader" and the removed clause', async () => {
    repo.edit(RULE_FILE, (t) => dropTests(t.replace('    not(field(\'user.id\').in(windowsServiceAccountSids)),\n', ''), ['LocalSystem is excluded', 'LocalService is excluded', 'NetworkService is excluded']));
    const d = only(await diffOf(repo));
    expect(d.semantics).toMatchObject({ relation: 'broader', proved: true, onlyBefore: [] });
    expect(d.semantics?.onlyAfter.every((e) => fieldValues(e, 'user.id').length > 0)).toBe(true);
    expect(d.logic).toContainEqual(expect.objectContaining({ kind: 'clause-removed', where: 'query', atBase: true }));
    expect(d.logic.find((c) => c.kind === 'clause-removed')?.text).toMatch(/^clause removed: not\(user\.id in \[/);
    // The rule's test events changed too, and say so as metadata.
    expect(d.change).toBe('logic and metadata');
  });

  it('making the domain match case-sensitive reports "narrower", with a witness', async () => {
    repo.edit(RULE_FILE, (t) => dropTests(t.replace('dnsName.likeIgnoreCase(abusedWebServiceDomains)', 'dnsName.like(abusedWebServiceDomains)'), ['domain match ignores case']));
    const d = only(await diffOf(repo));
    expect(d.logic).toContainEqual(expect.objectContaining({ kind: 'case', text: 'dns.question.name ("Add new WebSvc domains here"): now case-sensitive (likeIgnoreCase → like)' }));
    expect(d.semantics).toMatchObject({ relation: 'narrower', proved: true, onlyAfter: [] });
    const before = normalize((await referenceRule()).query);
    const witnesses = d.semantics?.onlyBefore ?? [];
    expect(witnesses.length).toBeGreaterThan(0);
    for (const e of witnesses) expect(evaluate(before, e)).toBe(true);
    expect(mayBeNarrower(d)).toBe(true);
    expect(mayBeBroader(d)).toBe(false);
    expect(renderMarkdown({ base: { ref: 'main', commit: '0'.repeat(40) }, rulesDir: 'rules', rules: [d] })).toContain('Events only the **old** version matches');
  });

  it('reordering the list is "equivalent" (proved); renaming a local variable changes nothing', async () => {
    repo.edit(DOMAINS_FILE, (t) => t.replace(/export const abusedWebServiceDomains = \[\n([\s\S]*?)\n\] as const;/, (_, body: string) => `export const abusedWebServiceDomains = [\n${body.split('\n').reverse().join('\n')}\n] as const;`));
    const reordered = only(await diffOf(repo));
    expect(reordered).toMatchObject({ status: 'changed', change: 'equivalent rewrite', metadata: [] });
    expect(reordered.semantics).toMatchObject({ relation: 'equivalent', proved: true, how: 'reordered' });
    expect(reordered.logic).toEqual([expect.objectContaining({ kind: 'reordered' })]);
    expect(mayBeBroader(reordered) || mayBeNarrower(reordered)).toBe(false);
    // It is a change all the same: --fail-on any fails on it.
    expect(failsOn(reordered, 'any')).toBe(true);
    expect(failsOn(reordered, 'broader')).toBe(false);
    repo.reset();

    repo.edit(RULE_FILE, (t) => t.replace(/\bdnsName\b/g, 'queriedName'));
    const renamed = (await diffOf(repo)).rules;
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatchObject({ status: 'unchanged', change: 'unchanged', logic: [], metadata: [], targets: [] });
    expect(renamed[0]?.semantics).toMatchObject({ relation: 'equivalent', proved: true, how: 'identical' });
  });

  it('changing the severity is "metadata only"', async () => {
    repo.edit(RULE_FILE, (t) => t.replace("severity: 'low',", "severity: 'high',").replace('riskScore: 21,', 'riskScore: 73,'));
    const report = await diffOf(repo);
    const d = only(report);
    expect(d).toMatchObject({ status: 'changed', change: 'metadata only', logic: [] });
    expect(d.metadata.map((m) => m.text)).toEqual(['severity: "low" → "high"', 'riskScore: 21 → 73']);
    expect(d.semantics).toMatchObject({ relation: 'equivalent', proved: true });
    // Only targets that carry the severity change their output.
    expect(d.targets.map((t) => t.target)).toEqual(['sigma']);
    expect(renderMarkdown(report)).toMatch(/\| metadata only \| equivalent \(proved\) \| sigma \|/);
  });

  it('reports an added and a removed rule', async () => {
    const newId = '5d0c3f4e-1b2a-4c3d-9e8f-7a6b5c4d3e21';
    repo.edit(RULE_FILE, (t) => t.replace(`id: '${REFERENCE_RULE_ID}'`, `id: '${newId}'`).replace("name: 'Connection to Commonly Abused Web Services'", "name: 'Connection to Abused Web Services (v2)'"));
    const report = await diffOf(repo);
    expect(report.rules.map((r) => [r.name, r.id, r.status, r.change])).toEqual([
      ['Connection to Abused Web Services (v2)', newId, 'added', 'added'],
      ['Connection to Commonly Abused Web Services', REFERENCE_RULE_ID, 'removed', 'removed'],
    ]);
    expect(report.rules.map((r) => r.file)).toEqual([RULE_FILE, RULE_FILE]);
    expect(report.rules.map((r) => [failsOn(r, 'broader'), failsOn(r, 'narrower')])).toEqual([[true, false], [false, true]]);
    const md = renderMarkdown(report);
    expect(md).toContain('| added | new rule |');
    expect(md).toContain('| removed | rule removed |');
    expect(md).toContain('2 rules differ: 1 added, 1 removed.');
  });

  it('compares with --base as given, and with the merge base by default', async () => {
    repo.edit(DOMAINS_FILE, (t) => t.replace("  'ghostbin.com',\n", ''));
    const d = only(await diffOf(repo, 'main'));
    expect(d.logic[0]?.text).toBe('dns.question.name ("Add new WebSvc domains here"): - "ghostbin.com"');
    expect(d.semantics).toMatchObject({ relation: 'narrower', proved: true });
    const head = git(repo.dir, 'rev-parse', 'HEAD').trim();
    expect(resolveBase(repo.dir, undefined)).toEqual({ name: 'merge-base(HEAD, main)', commit: head });
  });
});

describe('siemc diff errors', () => {
  it('names an unknown --base, a missing default branch, and a folder outside git', async () => {
    await expect(diffOf(repo, 'no-such-branch')).rejects.toThrow(/--base "no-such-branch" does not name a commit in .*; give a branch, tag or commit/);
    await expect(diffOf(repo, '--output=x')).rejects.toThrow(/--base "--output=x" does not name a commit/);
    const trunk = testRepo({ 'rules/a.ts': "export const a = 1;\n" }, 'trunk');
    try {
      await expect(diffOf(trunk)).rejects.toThrow(/found no default branch to compare with in .* \(tried origin\/HEAD, main, master\); pass --base REF\./);
    } finally {
      trunk.remove();
    }
    const outside = testRepo({ 'rules/a.ts': "export const a = 1;\n" });
    const saved = process.env['GIT_CEILING_DIRECTORIES'];
    try {
      rmSync(join(outside.dir, '.git'), { recursive: true, force: true });
      process.env['GIT_CEILING_DIRECTORIES'] = join(outside.dir, '..');
      await expect(diffOf(outside)).rejects.toThrow(/is not inside a git repository; siemc diff compares the rules at a git commit with the working tree/);
    } finally {
      if (saved === undefined) delete process.env['GIT_CEILING_DIRECTORIES'];
      else process.env['GIT_CEILING_DIRECTORIES'] = saved;
      outside.remove();
    }
  });
});
