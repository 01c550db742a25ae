/**
 * The Splunk app's .tgz goes through the owned writer like every text file: recorded in the
 * folder's manifest, replaced atomically only when its bytes change, deleted once no longer
 * published, and a user's file of that name is never deleted unless siemc wrote it.
 */
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/output/manifest.js';
import { writeOwnedFiles } from '../../src/output/writer.js';
import { publishers } from '../../src/publish/registry.js';
import { siemc } from '../support/cli.js';
import { REPO_DIR } from '../support/rules.js';
import { ruleModule, workspace, writeRules } from '../support/workspace.js';

const TGZ = 'splunk/siemc_detections.tgz';
const owned = (dir: string): string[] => (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { files: string[] }).files;
/** Sets a file's modification time far in the past, so a rewrite shows. */
const age = (full: string): number => {
  utimesSync(full, 1_000_000, 1_000_000);
  return statSync(full).mtimeMs;
};

describe('the owned writer with binary content', () => {
  it('writes bytes, leaves identical bytes alone, and replaces bytes of the same size that differ', async () => {
    const dir = join(workspace(), 'out');
    const first = await writeOwnedFiles(dir, new Map<string, string | Uint8Array>([['a.bin', new Uint8Array([0, 1, 2, 255])], ['a.txt', 'text\n']]));
    expect([...first.written].sort()).toEqual(['a.bin', 'a.txt']);
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([0, 1, 2, 255]);
    expect(owned(dir)).toEqual(['a.bin', 'a.txt']);
    const mtime = age(join(dir, 'a.bin'));
    const again = await writeOwnedFiles(dir, new Map<string, string | Uint8Array>([['a.bin', new Uint8Array([0, 1, 2, 255])], ['a.txt', 'text\n']]));
    expect(again).toEqual({ written: [], deleted: [], unchanged: 2 });
    expect(statSync(join(dir, 'a.bin')).mtimeMs).toBe(mtime);
    const changed = await writeOwnedFiles(dir, new Map<string, string | Uint8Array>([['a.bin', new Uint8Array([0, 1, 2, 254])], ['a.txt', 'text\n']]));
    expect(changed.written).toEqual(['a.bin']);
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([0, 1, 2, 254]);
    const gone = await writeOwnedFiles(dir, new Map<string, string | Uint8Array>([['a.txt', 'text\n']]));
    expect(gone.deleted).toEqual(['a.bin']);
    expect(existsSync(join(dir, 'a.bin'))).toBe(false);
  });
});

describe('siemc publish: the Splunk .tgz is owned', () => {
  const ws = workspace();
  writeRules(ws, { 'a.ts': ruleModule(2, 'v1') });
  const out = join(ws, 'dist');
  const publish = (...args: string[]) => siemc(['publish', '--out', 'dist', ...args], ws);
  const config = (value: object): void => writeFileSync(join(ws, 'siemc.config.json'), `${JSON.stringify(value)}\n`);

  it('publish.targets in the schema names exactly the registered publishers', () => {
    const schema = JSON.parse(readFileSync(`${REPO_DIR}schema/siemc.config.schema.json`, 'utf8')) as { properties: { publish: { properties: { targets: { items: { enum: string[] } } } } } };
    expect(schema.properties.publish.properties.targets.items.enum).toEqual(publishers.map((p) => p.name));
  });

  it('is in the manifest; an identical run keeps it (mtime); --target keeps it; leaving splunk out of publish.targets deletes it', () => {
    config({});
    const r = publish();
    expect(r.status, r.stderr).toBe(0);
    expect(owned(out)).toContain(TGZ);
    const bytes = readFileSync(join(out, TGZ));
    const mtime = age(join(out, TGZ));

    const again = publish();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/ 0 written, 0 deleted/);
    expect(statSync(join(out, TGZ)).mtimeMs).toBe(mtime);

    // One run of one format leaves the other formats' files, the .tgz too, as they are.
    const kibanaOnly = publish('--target', 'kibana');
    expect(kibanaOnly.status, kibanaOnly.stderr).toBe(0);
    expect(readFileSync(join(out, TGZ))).toEqual(bytes);
    expect(statSync(join(out, TGZ)).mtimeMs).toBe(mtime);

    config({ publish: { targets: ['kibana', 'detection-rules', 'sigma'] } });
    const off = publish();
    expect(off.status, off.stderr).toBe(0);
    expect(existsSync(join(out, TGZ))).toBe(false);
    expect(existsSync(join(out, 'splunk'))).toBe(false);
    expect(owned(out).some((p) => p.startsWith('splunk/'))).toBe(false);
    expect(existsSync(join(out, 'kibana', 'rules.ndjson'))).toBe(true);
  }, 120_000);

  it("a user's file named like the .tgz, never written by siemc, is not deleted", () => {
    config({ publish: { targets: ['kibana'] } });
    const mine = join(ws, 'mine');
    expect(siemc(['publish', '--out', 'mine'], ws).status).toBe(0);
    // The user keeps an archive of their own where siemc's would go; siemc does not publish splunk here.
    mkdirSync(join(mine, 'splunk'));
    writeFileSync(join(mine, TGZ), 'my own archive');
    const r = siemc(['publish', '--out', 'mine'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(mine, TGZ), 'utf8')).toBe('my own archive');
    expect(owned(mine)).not.toContain(TGZ);
  }, 120_000);
});
