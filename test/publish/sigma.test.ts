/** Published Sigma files: SigmaHQ's file names, and the rule's status. */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/dsl/rule.js';
import { publishRules } from '../../src/publish/publish.js';
import { sigmaFileName } from '../../src/publish/sigma/index.js';
import { referenceRule } from '../support/rules.js';

const sigmaFiles = (rules: readonly Rule[]): Map<string, string> =>
  new Map([...publishRules(rules, { config: {} }).files].filter(([p]) => p.startsWith('sigma/')).map(([p, t]) => [p.slice('sigma/'.length), t]));

describe('Sigma files', async () => {
  const reference = await referenceRule();

  it("are named as SigmaHQ names them: log source prefix, then the title", () => {
    expect([...sigmaFiles([reference]).keys()]).toEqual(['dns_query_win_connection_to_commonly_abused_web_services.yml']);
    for (const name of sigmaFiles([reference]).keys()) expect(name).toMatch(/^[a-z0-9_]{10,90}\.yml$/);
    const long: Rule = { ...reference, name: 'A very long rule name '.repeat(8) };
    expect(sigmaFileName(long)).toMatch(/^dns_query_win_[a-z0-9_]{10,76}\.yml$/);
  });

  it('carry the rule status, experimental when the rule gives none', () => {
    const [text] = sigmaFiles([reference]).values();
    expect((parse(text ?? '') as { status: string }).status).toBe('stable');
    const { status: _, ...rest } = reference;
    const [fresh] = sigmaFiles([{ ...rest, id: '00000000-0000-4000-8000-000000000009', name: 'Fresh rule' }]).values();
    expect((parse(fresh ?? '') as { status: string }).status).toBe('experimental');
  });

  it('two rules that would share a file name each get their id in it', () => {
    const twin: Rule = { ...reference, id: '12345678-0000-4000-8000-000000000001' };
    expect([...sigmaFiles([reference, twin]).keys()].sort()).toEqual([
      'dns_query_win_connection_to_commonly_abused_web_services_12345678.yml',
      'dns_query_win_connection_to_commonly_abused_web_services_66883649.yml',
    ]);
  });
});
