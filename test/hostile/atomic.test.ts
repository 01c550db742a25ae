/**
 * Hostile interruptions of the write phase: a write error, SIGINT, SIGKILL. Every output file is
 * always either its old or its new content, and the next build repairs what a kill left.
 */
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ended, siemc, siemcChild } from '../support/cli.js';
import { ruleId, ruleModule, tree, workspace, writeRules } from '../support/workspace.js';

const RULES = 300;
const JOURNAL = '.siemc-journal.json';
const isLeftover = (path: string): boolean => path === JOURNAL || path.endsWith('.siemc-tmp');

describe('interrupted builds', () => {
  let ws: string;
  let rules: string;
  const expected = new Map<string, Map<string, string>>();
  const useVariant = (v: string): void => void writeRules(ws, { 'many.ts': ruleModule(RULES, v) });

  beforeAll(() => {
    ws = workspace();
    rules = join(ws, 'rules');
    for (const v of ['v1', 'v2']) {
      useVariant(v);
      const r = siemc(['build', '--rules', rules, '--out', join(ws, `expected-${v}`)]);
      expect(r.status, r.stderr).toBe(0);
      expected.set(v, tree(join(ws, `expected-${v}`)));
    }
  });

  /** Starts a build of `variant` into `out` and calls `onJournal` when its write phase begins. */
  async function build(out: string, variant: string, onJournal?: (child: ReturnType<typeof siemcChild>) => void, killAfterMs?: number) {
    useVariant(variant);
    const child = siemcChild(['build', '--rules', rules, '--out', out]);
    const done = ended(child);
    let watching = true;
    if (onJournal !== undefined) {
      void (async () => {
        while (watching && !existsSync(join(out, JOURNAL))) await new Promise((r) => setImmediate(r));
        if (watching) onJournal(child);
      })();
    }
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const result = await done;
    watching = false;
    if (timer !== undefined) clearTimeout(timer);
    return result;
  }

  it('a write error while writing leaves the folder exactly as it was', () => {
    const out = join(ws, 'write-error');
    cpSync(join(ws, 'expected-v1'), out, { recursive: true });
    // The new rule's folder is taken by a file: the error comes after the other rules' files are written.
    writeRules(ws, { 'many.ts': ruleModule(RULES, 'v2'), 'extra.ts': ruleModule(1, 'v2', RULES) });
    writeFileSync(join(out, ruleId(RULES)), 'in the way\n');
    const before = tree(out);
    const r = siemc(['build', '--rules', rules, '--out', out]);
    rmSync(join(rules, 'extra.ts'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`siemc: .*${ruleId(RULES)}.* is a file, not a folder\\.`));
    expect(tree(out)).toEqual(before);
  });

  it('SIGINT during the write phase leaves the folder as it was, or (if it came too late) complete', async () => {
    const out = join(ws, 'sigint');
    cpSync(join(ws, 'expected-v1'), out, { recursive: true });
    const before = tree(out);
    const r = await build(out, 'v2', (child) => child.kill('SIGINT'));
    const after = tree(out);
    if (r.status === 130) {
      expect(r.stderr).toMatch(/interrupted \(SIGINT\) before any output was replaced; the output folder is unchanged/);
      expect(after).toEqual(before);
    } else {
      expect(r.status, r.stderr).toBe(0);
      expect(after).toEqual(expected.get('v2'));
    }
  });

  it('SIGKILL at 10 random points: every file old or new; check reports it; the next build repairs it', async () => {
    const out = join(ws, 'sigkill');
    cpSync(join(ws, 'expected-v1'), out, { recursive: true });
    let killedWhileWriting = 0;
    for (let i = 0; i < 10; i++) {
      const variant = i % 2 === 0 ? 'v2' : 'v1';
      const want = expected.get(variant) as Map<string, string>;
      const before = tree(out);
      // Most kills land in the write phase (a random moment after the journal appears); some anywhere.
      const r =
        i % 3 === 2
          ? await build(out, variant, undefined, Math.floor(Math.random() * 4000))
          : await build(out, variant, (child) => void setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 400)));
      const after = tree(out);
      if (existsSync(join(out, JOURNAL))) killedWhileWriting++;
      for (const [path, text] of after) {
        if (isLeftover(path)) continue;
        expect([before.get(path), want.get(path)], `${path} after kill ${i} (${r.signal ?? r.status})`).toContain(text);
      }
      for (const path of before.keys()) if (!after.has(path)) expect(want.has(path), `${path} vanished`).toBe(false);
    }
    const interrupted = existsSync(join(out, JOURNAL));
    const check = siemc(['check', '--rules', rules, '--out', out]);
    if (interrupted) {
      expect(check.status).toBe(1);
      expect(check.stdout).toContain('says a build was interrupted while writing');
    }
    const repair = siemc(['build', '--rules', rules, '--out', out]);
    expect(repair.status, repair.stderr).toBe(0);
    expect(siemc(['check', '--rules', rules, '--out', out]).status).toBe(0);
    expect(tree(out)).toEqual(expected.get('v1'));
    expect(killedWhileWriting).toBeGreaterThan(0);
  }, 300_000);
});
