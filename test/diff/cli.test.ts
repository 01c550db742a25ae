import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { DOMAINS_FILE, testRepo, type TestRepo } from './support.js';

let repo: TestRepo;
beforeAll(() => {
  repo = testRepo();
});
afterAll(() => repo.remove());

// Each run type-checks the rules and starts tsx: seconds each on a busy machine.
describe('siemc diff (command line)', { timeout: 180_000 }, () => {
  it('--fail-on broader exits 1 after printing when a domain was added', () => {
    repo.edit(DOMAINS_FILE, (t) => t.replace("  'pastebin.*',\n", "  'pastebin.*',\n  'evil.example',\n"));
    try {
      const r = siemc(['diff', '--rules', repo.rules, '--fail-on', 'broader']);
      expect(r.stderr).toContain('siemc: --fail-on broader: 1 rule may match events they did not match at the base');
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('| logic | broader (proved) |');
      expect(r.stdout).toContain('+ "evil.example"');
    } finally {
      repo.reset();
    }
  });

  it('--fail-on broader exits 0 when the list was only reordered', () => {
    repo.edit(DOMAINS_FILE, (t) => t.replace(/export const abusedWebServiceDomains = \[\n([\s\S]*?)\n\] as const;/, (_, body: string) => `export const abusedWebServiceDomains = [\n${body.split('\n').reverse().join('\n')}\n] as const;`));
    try {
      const r = siemc(['diff', '--rules', repo.rules, '--fail-on', 'broader', '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as { base: { ref: string }; rules: { status: string; change: string; semantics: { relation: string; proved: boolean } }[] };
      expect(report.base.ref).toBe('merge-base(HEAD, main)');
      expect(report.rules).toEqual([expect.objectContaining({ status: 'changed', change: 'equivalent rewrite', semantics: expect.objectContaining({ relation: 'equivalent', proved: true }) })]);
    } finally {
      repo.reset();
    }
  });

  it('an unknown --base is one sentence and exit 1', () => {
    const r = siemc(['diff', '--rules', repo.rules, '--base', 'nope']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^siemc: --base "nope" does not name a commit in .*\.$/)]);
    expect(siemc(['diff', '--rules', repo.rules, '--fail-on', 'wider']).status).toBe(2);
  });
});
