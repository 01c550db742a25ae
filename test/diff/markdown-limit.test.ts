import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT_BYTES, renderMarkdown } from '../../src/diff/render-markdown.js';
import { code, fence, mdText } from '../../src/diff/markdown.js';
import { ruleModule } from '../support/workspace.js';
import { diffOf, testRepo, type TestRepo } from './support.js';

const RULES = 120;
let repo: TestRepo;
beforeAll(() => {
  repo = testRepo({ 'rules/generated.ts': ruleModule(RULES, 'a') });
});
afterAll(() => repo.remove());

describe('the pull-request comment', () => {
  it('stays within GitHub\'s comment limit on a large change, and says what it left out', async () => {
    repo.write('rules/generated.ts', ruleModule(RULES, 'b'));
    const report = await diffOf(repo);
    expect(report.rules.filter((r) => r.status === 'changed')).toHaveLength(RULES);
    const md = renderMarkdown(report);
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(COMMENT_LIMIT_BYTES);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toContain("**Cut to fit GitHub's comment limit (65,536 characters)**: left out");
    expect(md).toMatch(/left out .*part of the details of \d+ rules \(output diffs, text diffs, most witness events/);
    // Every rule has its details entry, or the note names it.
    const note = md.slice(md.indexOf('**Cut to fit'));
    for (let n = 0; n < RULES; n++) {
      const entry = md.includes(`<summary><b>rule ${n}</b>: logic and metadata, broader and narrower (proved)</summary>`);
      expect(entry || new RegExp(`the details of \\d+ rules \\([^)]*\\brule ${n}\\b`).test(note)).toBe(true);
    }
    // Every rule keeps its summary row, in name order.
    const rows = md.split('\n').filter((l) => /^\| rule \d+<br>/.test(l));
    expect(rows).toHaveLength(RULES);
    const names = rows.map((l) => /^\| (rule \d+)<br>/.exec(l)?.[1]);
    expect(names).toEqual([...names].sort());
    // Uncut, the same report is far larger: the cut is real.
    expect(Buffer.byteLength(renderMarkdown(report, { limit: 10_000_000 }), 'utf8')).toBeGreaterThan(2 * COMMENT_LIMIT_BYTES);
    expect(renderMarkdown(report, { limit: 10_000_000 })).not.toContain('Cut to fit');
  });

  it('keeps text from a pull request inert: no HTML, mentions or broken code spans', () => {
    expect(mdText('<img src=x onerror=alert(1)> @octo/team *x* | y')).toBe('&lt;img src=x onerror=alert(1)&gt; @&#8203;octo/team \\*x\\* \\| y');
    expect(code('a`b')).toBe('``a`b``');
    expect(fence('json', '```\nx')).toBe('````json\n```\nx\n````\n');
  });
});
