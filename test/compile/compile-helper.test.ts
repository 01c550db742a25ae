import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/registry.js';
import { compileRules, type CompileResult } from '../../src/compile.js';
import { compileEach } from '../../src/compile-helper.js';
import { loadRules } from '../../src/loader/load.js';
import type { Rule } from '../../src/model/rule.js';
import { ruleModule, workspace, writeRules } from '../support/workspace.js';

const SHARED = `import { all, any, defineRule, field, not } from 'siemc';
const c = field('process.command_line').matches('svc[0-9]+');
export const shared = defineRule({ id: '00000000-0000-4000-8000-ffffffffffff', name: 'shared', description: 'd', author: ['t'], license: 'Apache-2.0',
  severity: 'low', riskScore: 1, schedule: { interval: '5m', from: 'now-9m' }, maxSignals: 1, index: ['logs-*'], tags: [], mitre: [], references: [],
  falsePositives: [], version: 1, query: all(field('host.name').exists(), any(c, not(c))),
  tests: [{ name: 'x', expect: 'match', event: { host: { name: 'h' }, process: { command_line: 'svc1' } } }] });
`;

const plain = (results: readonly CompileResult[]) =>
  results.map((r) => ({ outputs: r.outputs.map((o) => [o.rule.id, o.backend.name, o.text]), diagnostics: r.diagnostics }));

/** `n` generated rules and the shared one, loaded, with what compiling each alone gives. */
async function generated(n: number): Promise<{ rules: readonly Rule[]; alone: ReturnType<typeof plain> }> {
  const { rules } = await loadRules(writeRules(workspace(), { 'a.ts': ruleModule(n, 'a'), 'shared.ts': SHARED }), { typecheck: false, cache: false });
  return { rules, alone: plain(rules.map((rule) => compileRules([rule], backends, {}))) };
}

describe('compiling on two threads', () => {
  it('gives for every rule what compiling it alone gives, whichever thread took it', async () => {
    const dir = workspace();
    const rules = writeRules(dir, { 'a.ts': ruleModule(300, 'a'), 'shared.ts': SHARED, 'b.ts': ruleModule(300, 'b', 300) });
    const loaded = await loadRules(rules, { typecheck: false, cache: false });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const config = { accept: [{ code: 'SIEMC-A306' as const, target: 'sigma', reason: 'tests' }] };
    const stats = { helped: 0 };
    const both = compileEach(loaded.rules, backends, { config }, { helperFrom: 2, stats });
    const alone = loaded.rules.map((rule) => compileRules([rule], backends, { config }));
    expect(plain(both)).toEqual(plain(alone));
    expect(both.every((r, i) => r.outputs.every((o) => o.rule === loaded.rules[i]))).toBe(true);
  });

  it('the helper alone compiles as this thread does; what it has not answered when patience runs out is compiled here', async () => {
    const { rules, alone } = await generated(20);
    // The helper starts while this thread waits: its start is not an answer owed late.
    const patient = { helped: 0 };
    expect(plain(compileEach(rules, backends, {}, { helperFrom: 2, stats: patient, helperFirst: true, patienceMs: 60_000 }))).toEqual(alone);
    expect(patient.helped).toBe(rules.length);
    // No patience at all: whatever the helper has not answered yet (while it starts, every rule) is compiled here.
    const impatient = { helped: 0 };
    expect(plain(compileEach(rules, backends, {}, { helperFrom: 2, stats: impatient, helperFirst: true, patienceMs: 0 }))).toEqual(alone);
    expect(impatient.helped).toBeLessThan(rules.length);
  });

  it('starts the helper only once a core is free, for the rules left, and gives the same', async () => {
    const { rules, alone } = await generated(300);
    // Never free: this thread compiles everything.
    const never = { helped: 0 };
    expect(plain(compileEach(rules, backends, {}, { helperFrom: 2, stats: never, coreFree: () => false }))).toEqual(alone);
    expect(never.helped).toBe(0);
    // Free after 100 rules: the helper takes from the rules left (the counter is past the rest).
    let asked = 0;
    const late = compileEach(rules, backends, {}, { helperFrom: 2, coreFree: () => ++asked > 100 });
    expect(asked).toBe(101);
    expect(plain(late)).toEqual(alone);
    // Too few rules left once free: no helper.
    const few = { helped: 0 };
    let calls = 0;
    expect(plain(compileEach(rules, backends, {}, { helperFrom: 250, stats: few, coreFree: () => ++calls > 100 }))).toEqual(alone);
    expect(few.helped).toBe(0);
  });
});
