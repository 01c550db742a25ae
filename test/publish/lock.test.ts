/** The version lock's rules, on rules in memory: which changes bump a version, and by how much. */
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/dsl/rule.js';
import { exactPattern } from '../../src/ir/pattern.js';
import { and, match } from '../../src/ir/nodes.js';
import { EMPTY_LOCK, lockText, type Lock } from '../../src/publish/lock.js';
import { publishRules } from '../../src/publish/publish.js';
import { referenceRule } from '../support/rules.js';

const publish = (rules: readonly Rule[], lock: Lock = EMPTY_LOCK): Lock => publishRules(rules, { config: {}, lock }).lock;

describe('version lock', async () => {
  const reference = await referenceRule();
  const other: Rule = { ...reference, id: '00000000-0000-4000-8000-0000000000aa', name: 'Other rule', version: 1 };
  const first = publish([reference, other]);
  /** The reference rule with one more clause: its published content changes. */
  const changed: Rule = { ...reference, query: and([reference.query, match({ name: 'dns.question.name', type: 'keyword' }, [exactPattern('example.org')], true)]) };

  it('starts every rule at its own version and hashes every target', () => {
    expect(first.rules[reference.id]?.version).toBe(113);
    expect(first.rules[other.id]?.version).toBe(1);
    expect(Object.keys(first.rules[reference.id]?.hashes ?? {}).sort()).toEqual(['detection-rules', 'kibana', 'sigma', 'splunk']);
    expect(first.changes.added.map((a) => a.id).sort()).toEqual([other.id, reference.id].sort());
  });

  it('a run without changes changes nothing, not even the changelog', () => {
    expect(lockText(publish([reference, other], first))).toBe(lockText(first));
  });

  it('a content change bumps that rule by one, and only that rule', () => {
    const next = publish([changed, other], first);
    expect(next.rules[reference.id]?.version).toBe(114);
    expect(next.rules[other.id]).toEqual(first.rules[other.id]);
    expect(next.changes).toEqual({ added: [], changed: [{ id: reference.id, name: reference.name, from: 113, to: 114 }], removed: [] });
    expect(publish([changed, other], next).rules[reference.id]?.version).toBe(114);
    // The Splunk app as a whole moves too.
    expect(next.packages.splunk?.version).toBe((first.packages.splunk?.version ?? 0) + 1);
  });

  it("the published version is the larger of the rule's own and the lock's", () => {
    expect(publish([{ ...changed, version: 200 }, other], first).rules[reference.id]?.version).toBe(200);
    expect(publish([{ ...reference, version: 5 }, other], first).rules[reference.id]?.version).toBe(113);
  });

  it('a rule that moves keeps its entry; a renamed one keeps it and counts as changed', () => {
    const moved: Rule = { ...reference, location: { file: 'elsewhere/rule.ts', line: 1, column: 1 } };
    expect(publish([moved, other], first).rules[reference.id]).toEqual(first.rules[reference.id]);
    const renamed = publish([{ ...reference, name: 'Renamed' }, other], first);
    expect(renamed.rules[reference.id]).toMatchObject({ name: 'Renamed', version: 114 });
  });

  it('a removed rule stays in the lock, so coming back it does not restart', () => {
    const gone = publish([reference], first);
    expect(gone.rules[other.id]).toMatchObject({ removed: true, version: 1 });
    expect(gone.changes.removed.map((r) => r.id)).toEqual([other.id]);
    const back = publish([reference, other], gone);
    expect(back.rules[other.id]).toEqual(first.rules[other.id]);
    expect(back.changes.added.map((r) => r.id)).toEqual([other.id]);
  });

  it('is written with sorted keys and no timestamps', () => {
    const text = lockText(first);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['about', 'changes', 'packages', 'rules']);
  });
});
