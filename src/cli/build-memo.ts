/**
 * A build that would change nothing is answered from a record of the last one, without running
 * a rule: `siemc build` twice in a row costs a look at the files, not a build.
 *
 * After a build that wrote its outputs, the record (`build.json` in the rules folder's cache)
 * keeps: a key of everything else a build depends on (siemc's version, the project config, the
 * targets, --strict, the output folder), the rule files, every file the rules came from (the
 * modules run, the JSON they imported, the files read with markdown()) by size, modification
 * time and content hash, the output files and the manifest by size and modification time, and
 * the diagnostics printed. A later build reuses it only when the key is the same, the type
 * check has nothing to re-check (src/loader/typecheck.ts), every input is as recorded and every
 * output is still as written (no journal). Anything else runs the build as usual.
 *
 * Rule modules count as functions of their sources and of the files they read through siemc;
 * a module that uses a package (or needs the bundler) is not recorded, so it always runs.
 *
 * Each output is recorded with what produced it (the rule's compile key and the target): a
 * later build with the same key that produces an output from the same compile key, while the
 * file is still as written, keeps it without reading or writing it (`keptOutputs`).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCacheJson, writeCacheJson } from '../cache/store.js';
import { siemcVersion } from '../cache/version.js';
import type { Diagnostic } from '../diagnostics.js';
import { JOURNAL_FILE, MANIFEST_FILE } from '../output/manifest.js';

const FORMAT = 'siemc-build-memo/2';

export interface BuildRecord {
  readonly format: string;
  readonly key: string;
  readonly roots: readonly string[];
  /** Input file -> [stamp, content hash]. */
  readonly inputs: Readonly<Record<string, readonly [string, string]>>;
  /** Output path (relative to the output folder) -> [stamp, what produced it]; the manifest among them. */
  readonly outputs: Readonly<Record<string, readonly [string, string]>>;
  readonly rules: number;
  readonly targets: number;
  readonly loadDiagnostics: readonly Diagnostic[];
  readonly compileDiagnostics: readonly Diagnostic[];
}

const hash = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

function stamp(file: string): string | undefined {
  const s = statSync(file, { throwIfNoEntry: false });
  return s === undefined || !s.isFile() ? undefined : `${s.size}:${s.mtimeMs}:${s.ino}`;
}

export function buildKey(parts: { readonly config: unknown; readonly targets: readonly string[]; readonly strict: boolean; readonly out: string }): string {
  return hash(JSON.stringify([FORMAT, siemcVersion(), parts.config, parts.targets, parts.strict, resolve(parts.out)]));
}

/** The record of the last build with the same key (version, config, targets, --strict, output folder). */
export function readBuildRecord(stateDir: string, key: string): BuildRecord | undefined {
  const record = readCacheJson<BuildRecord>(join(stateDir, 'build.json'), FORMAT);
  return record?.key === key ? record : undefined;
}

/** The record, when it still describes this build exactly. */
export function unchangedBuild(record: BuildRecord | undefined, roots: readonly string[], out: string): BuildRecord | undefined {
  if (record === undefined) return undefined;
  if (record.roots.length !== roots.length || record.roots.some((r, i) => r !== roots[i])) return undefined;
  if (stamp(join(out, JOURNAL_FILE)) !== undefined) return undefined;
  for (const [file, [st, content]] of Object.entries(record.inputs)) {
    if (stamp(file) === st) continue;
    try {
      if (hash(readFileSync(file)) !== content) return undefined;
    } catch {
      return undefined;
    }
  }
  for (const [path, [st]] of Object.entries(record.outputs)) if (stamp(join(out, path)) !== st) return undefined;
  return record;
}

/**
 * The outputs of `produced` (path -> what produces it now) that are still as the recorded build
 * wrote them, from the same producer: no need to read or write them. None after a killed write.
 */
export function keptOutputs(record: BuildRecord | undefined, out: string, produced: ReadonlyMap<string, string>): Set<string> {
  const kept = new Set<string>();
  if (record === undefined || stamp(join(out, JOURNAL_FILE)) !== undefined) return kept;
  for (const [path, by] of produced) {
    const was = Object.prototype.hasOwnProperty.call(record.outputs, path) ? record.outputs[path] : undefined;
    if (was !== undefined && was[1] === by && stamp(join(out, path)) === was[0]) kept.add(path);
  }
  return kept;
}

/** Records a build that wrote its outputs; a record that cannot be made complete is not kept. */
export function recordBuild(
  stateDir: string,
  key: string,
  roots: readonly string[],
  inputs: readonly string[],
  out: string,
  /** Output path -> what produced it. */
  outputs: ReadonlyMap<string, string>,
  /** The last build's record: inputs whose stamp it has are not hashed again. */
  previous: BuildRecord | undefined,
  summary: Pick<BuildRecord, 'rules' | 'targets' | 'loadDiagnostics' | 'compileDiagnostics'>,
): void {
  const byInput: Record<string, readonly [string, string]> = {};
  for (const file of inputs) {
    const st = stamp(file);
    if (st === undefined) return;
    const was = previous !== undefined && Object.prototype.hasOwnProperty.call(previous.inputs, file) ? previous.inputs[file] : undefined;
    byInput[file] = [st, was !== undefined && was[0] === st ? was[1] : hash(readFileSync(file))];
  }
  const byOutput: Record<string, readonly [string, string]> = {};
  for (const [path, by] of [...outputs, [MANIFEST_FILE, ''] as const]) {
    const st = stamp(join(out, path));
    if (st === undefined) return;
    byOutput[path] = [st, by];
  }
  writeCacheJson(join(stateDir, 'build.json'), { format: FORMAT, key, roots: [...roots], inputs: byInput, outputs: byOutput, ...summary } satisfies BuildRecord);
}
