/** The output folder as a map of relative path -> content; writing it, and comparing it with disk. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { outputPath, type TargetOutput } from './compile.js';

export type FileSet = ReadonlyMap<string, string>;

export function fileSet(outputs: readonly TargetOutput[]): FileSet {
  return new Map(outputs.map((o) => [outputPath(o), o.text]));
}

/** Folders siemc owns inside the output folder: one per rule, named by its UUID. */
const RULE_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files now on disk in the rule folders, relative to `dir`. */
export function filesOnDisk(dir: string, onlyTargets?: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const ruleDir of readdirSync(dir).sort()) {
    const full = join(dir, ruleDir);
    if (!RULE_DIR.test(ruleDir) || !statSync(full).isDirectory()) continue;
    for (const name of readdirSync(full).sort()) {
      if (onlyTargets !== undefined && !onlyTargets.has(name)) continue;
      out.set(`${ruleDir}/${name}`, readFileSync(join(full, name), 'utf8'));
    }
  }
  return out;
}

export interface Change {
  readonly path: string;
  readonly kind: 'stale' | 'missing' | 'orphan';
  readonly diff?: string;
}

export function compareWithDisk(expected: FileSet, dir: string, onlyTargets?: ReadonlySet<string>): Change[] {
  const actual = filesOnDisk(dir, onlyTargets);
  const changes: Change[] = [];
  for (const [path, text] of expected) {
    const current = actual.get(path);
    if (current === undefined) changes.push({ path, kind: 'missing' });
    else if (current !== text) changes.push({ path, kind: 'stale', diff: lineDiff(current, text) });
  }
  for (const path of actual.keys()) if (!expected.has(path)) changes.push({ path, kind: 'orphan' });
  return changes;
}

/** Writes the file set and removes orphans in the rule folders, so the folder is exactly the build. */
export function writeFileSet(files: FileSet, dir: string, onlyTargets?: ReadonlySet<string>): void {
  for (const path of filesOnDisk(dir, onlyTargets).keys()) if (!files.has(path)) rmSync(join(dir, path));
  for (const [path, text] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) writeFileSync(full, text);
  }
  if (existsSync(dir))
    for (const d of readdirSync(dir)) {
      const full = join(dir, d);
      if (RULE_DIR.test(d) && statSync(full).isDirectory() && readdirSync(full).length === 0) rmSync(full, { recursive: true });
    }
}

/** A unified-style line diff (`-` on disk, `+` built), with two lines of context. */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // LCS table; snapshots are small enough for the quadratic version.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] = a[i] === b[j] ? ((lcs[i + 1] as number[])[j + 1] as number) + 1 : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ op: ' ', line: a[i++] as string }), j++;
    else if (j < b.length && (i >= a.length || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))) ops.push({ op: '+', line: b[j++] as string });
    else ops.push({ op: '-', line: a[i++] as string });
  }
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - 2), k + 3).some((x) => x.op !== ' '));
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(`${o.op}${o.line}`);
    else if (keep[k - 1]) out.push('  ...');
  });
  return out.join('\n');
}
