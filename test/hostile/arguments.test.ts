/**
 * Hostile command lines: every mistake is one sentence naming the argument, exit 1 (2 for
 * usage), never "internal error", and the committed outputs stay byte-identical.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { siemc } from '../support/cli.js';
import { REFERENCE_RULE_ID, REPO_DIR } from '../support/rules.js';
import { tree, workspace } from '../support/workspace.js';

describe('command-line mistakes', () => {
  let ws: string;
  let out: string;
  beforeAll(() => {
    ws = workspace();
    out = join(ws, 'snapshots');
    cpSync(`${REPO_DIR}snapshots`, out, { recursive: true });
  });

  const cases: [string, () => string[], number, RegExp][] = [
    ['--out naming a file', () => ['build', '--out', `${REPO_DIR}package.json`], 1, /--out ".*package\.json" is a file; --out takes a folder\./],
    ['--out given twice', () => ['build', '--out', out, '--out', join(ws, 'other')], 2, /--out was given 2 times .*; give it once\./],
    ['--out empty', () => ['build', '--out', ''], 2, /--out is empty/],
    ['--out inside the rules folder', () => ['build', '--out', `${REPO_DIR}rules/out`], 1, /is inside the rules folder/],
    ['--out under a file', () => ['build', '--out', `${REPO_DIR}package.json/x`], 1, /cannot be created: .*package\.json is a file, not a folder\./],
    ['--out under /proc', () => ['build', '--out', '/proc/siemc-x'], 1, /cannot create the folder \/proc\/siemc-x/],
    ['--strict=maybe', () => ['build', '--out', out, '--strict=maybe'], 2, /--strict=maybe: --strict is a yes\/no option/],
    ['--rules naming a file', () => ['build', '--rules', `${REPO_DIR}package.json`, '--out', out], 1, /--rules ".*package\.json" is a file/],
    ['smoke --es not-a-url', () => ['smoke', '--es', 'not-a-url'], 2, /--es "not-a-url" is not a URL/],
    ['smoke --es with another scheme', () => ['smoke', '--es', 'ftp://127.0.0.1:9200'], 2, /is not an http or https URL/],
    ['an unknown target', () => ['build', '--out', out, '--target', 'nosuch'], 2, /nosuch/],
  ];

  it.each(cases)('%s', (_what, args, status, message) => {
    const before = tree(out);
    const r = siemc(args());
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(tree(out)).toEqual(before);
  });

  it('a folder where an output file goes is named, and nothing is written', () => {
    const dir = join(ws, 'folder-in-the-way');
    cpSync(out, dir, { recursive: true });
    const taken = join(dir, REFERENCE_RULE_ID, 'eql.eql');
    writeFileSync(join(dir, REFERENCE_RULE_ID, 'kql.kql'), 'stale\n');
    const before = tree(dir);
    rmSync(taken);
    mkdirSync(taken);
    writeFileSync(join(taken, 'mine.txt'), 'x\n');
    const r = siemc(['build', '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/eql\.eql is a folder, but siemc writes a file there; move the folder elsewhere\./);
    const after = tree(dir);
    expect(after.get(`${REFERENCE_RULE_ID}/kql.kql`)).toBe(before.get(`${REFERENCE_RULE_ID}/kql.kql`));
    expect(after.get(`${REFERENCE_RULE_ID}/eql.eql/mine.txt`)).toBe('x\n');
  });

  it('--version prints the version', () => {
    const r = siemc(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an invalid siemc.config.json is one sentence', () => {
    const dir = join(ws, 'bad-config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'siemc.config.json'), '{ not json');
    const r = siemc(['build', '--rules', `${REPO_DIR}rules`, '--out', join(dir, 'out')], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^siemc: siemc\.config\.json is not valid JSON .*; fix it or delete it to use the defaults\.\n$/);
  });
});
