/** Hostile inputs to eval and check: non-object events, a byte-order mark, standard input, a huge stale snapshot. */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/output/line-diff.js';
import { siemc, siemcWithInput } from '../support/cli.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';
import { tree, workspace } from '../support/workspace.js';

const hit = { event: { category: 'network' }, host: { os: { type: 'windows' } }, network: { protocol: 'dns' }, process: { name: 'x.exe' }, dns: { question: { name: 'pastebin.com' } } };

describe('siemc eval inputs', () => {
  it.each([
    ['[1,2]', 'a JSON array'],
    ['42', 'a JSON number'],
    ['"text"', 'a JSON string'],
    ['null', 'null'],
  ])('a line holding %s is an error naming the line', (line, what) => {
    const ws = workspace();
    writeFileSync(join(ws, 'e.ndjson'), `${JSON.stringify(hit)}\n${line}\n`);
    const r = siemc(['eval', '--rule', REFERENCE_RULE_ID, '--events', join(ws, 'e.ndjson')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`e\\.ndjson:2 is ${what}, not an event; each line must be one JSON object\\.`));
    expect(r.stdout).toBe('');
  });

  it('a UTF-8 byte-order mark before the first line is ignored', () => {
    const ws = workspace();
    writeFileSync(join(ws, 'e.ndjson'), `\uFEFF${JSON.stringify(hit)}\n`);
    const r = siemc(['eval', '--rule', REFERENCE_RULE_ID, '--events', join(ws, 'e.ndjson')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"line":1,"match":true}\n');
  });

  it('--events - reads standard input', () => {
    const r = siemcWithInput(['eval', '--rule', REFERENCE_RULE_ID, '--events', '-'], `${JSON.stringify(hit)}\n{"a":1}\n`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"line":1,"match":true}\n{"line":2,"match":false}\n');
  });

  it('a missing events file is one sentence', () => {
    const r = siemc(['eval', '--rule', REFERENCE_RULE_ID, '--events', '/nonexistent/e.ndjson']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^siemc: cannot read events file "\/nonexistent\/e\.ndjson" \(no such file\)/);
  });
});

describe('siemc check on a huge stale snapshot', () => {
  it('prints a capped diff and exits 1, leaving the files as they were', () => {
    const ws = workspace();
    const out = join(ws, 'snapshots');
    cpSync(`${REPO_DIR}snapshots`, out, { recursive: true });
    const big = Array.from({ length: 300_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n');
    writeFileSync(join(out, REFERENCE_RULE_ID, 'spl.spl'), big);
    const before = tree(out);
    const r = siemc(['check', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${REFERENCE_RULE_ID}/spl.spl is stale`);
    expect(r.stdout.length).toBeLessThan(100_000);
    expect(r.stdout).toMatch(/\.\.\. (\d+ more lines|too different to show line by line)/);
    expect(tree(out)).toEqual(before);
  });

  it('the line diff is Myers-based: a one-line change in 200,000 lines shows just that change', () => {
    const a = Array.from({ length: 200_000 }, (_, i) => `l${i}`);
    const b = [...a];
    b[100_000] = 'changed';
    expect(lineDiff(a.join('\n'), b.join('\n'))).toBe([' l99998', ' l99999', '-l100000', '+changed', ' l100001', ' l100002', '  ...'].join('\n'));
  });

  it('caps a long diff with "... N more lines"', () => {
    const a = Array.from({ length: 1000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? `a${i}` : `b${i}`)).join('\n');
    const d = lineDiff(a, b, { maxLines: 50 });
    expect(d.split('\n')).toHaveLength(51);
    expect(d).toMatch(/\.\.\. \d+ more lines$/);
  });
});
