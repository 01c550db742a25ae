/** The output folder as a map of relative path -> content, and how it compares with what is on disk. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { outputPath, type TargetOutput } from './compile.js';
import { lineDiff } from './output/line-diff.js';
import { MANIFEST_FILE, manifestText, readJournal, readManifest } from './output/manifest.js';

/** A build's outputs: text only (the writer also takes bytes, which only publish produces). */
export type FileSet = ReadonlyMap<string, string>;

export function fileSet(outputs: readonly TargetOutput[]): FileSet {
  return new Map(outputs.map((o) => [outputPath(o), o.text]));
}

export interface Change {
  readonly path: string;
  /** `interrupted`: a build was killed while writing; `orphan`: siemc wrote it, and nothing produces it now. */
  readonly kind: 'stale' | 'missing' | 'orphan' | 'interrupted';
  readonly diff?: string;
}

function readIfFile(full: string): string | undefined {
  return existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : undefined;
}

/**
 * What differs between the files a build would write and the folder. Only files siemc owns (its
 * manifest) can be orphans; with `scope` (some targets only) the manifest itself is not compared.
 */
export function compareWithDisk(expected: FileSet, dir: string, scope?: (path: string) => boolean): Change[] {
  const changes: Change[] = [];
  if (readJournal(dir) !== undefined) changes.push({ path: '.siemc-journal.json', kind: 'interrupted' });
  for (const [path, text] of expected) {
    const current = readIfFile(join(dir, path));
    if (current === undefined) changes.push({ path, kind: 'missing' });
    else if (current !== text) changes.push({ path, kind: 'stale', diff: lineDiff(current, text) });
  }
  const owned = readManifest(dir) ?? new Set<string>();
  for (const path of [...owned].sort()) if ((scope === undefined || scope(path)) && !expected.has(path) && existsSync(join(dir, path))) changes.push({ path, kind: 'orphan' });
  if (scope === undefined) {
    const manifest = manifestText(expected.keys());
    const current = readIfFile(join(dir, MANIFEST_FILE));
    if (current !== manifest) changes.push({ path: MANIFEST_FILE, kind: current === undefined ? 'missing' : 'stale' });
  }
  return changes;
}
