/**
 * The version lock, `siemc.lock.json`, committed next to the rules folder (src/publish/lock.ts lockPath): per rule id, the version it was
 * published under and a hash of its published content per target, so a rule's version moves
 * by exactly one when what a SIEM receives changes, and never otherwise.
 *
 * - Keyed by rule id: a rule that moves to another file or is renamed keeps its entry.
 * - A rule that disappears stays, marked `removed`, so its id never restarts at a lower version.
 * - `changes` is what the last publish that changed anything changed (added, changed, removed),
 *   so a run that changes nothing writes the same changelog again: two runs, the same bytes.
 * - Sorted keys and no timestamps: it diffs cleanly and means the same on every machine.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../user-error.js';
import { stableJson, type JsonValue } from '../util/stable-json.js';

export const LOCK_FILE = 'siemc.lock.json';

/** The lock of a rules folder: next to it, in the project root (`rules/` -> `./siemc.lock.json`). */
export function lockPath(rulesDir: string): string {
  return join(dirname(resolve(rulesDir)), LOCK_FILE);
}
const ABOUT = 'Published versions of siemc rules: siemc publish bumps a version by one when the published content (hashes) changes. Commit this file; do not edit it.';

export interface LockedRule {
  readonly name: string;
  readonly version: number;
  /** Target name -> `sha256:<hex>` of the rule's published content (its version left out). */
  readonly hashes: { readonly [target: string]: string };
  readonly removed?: true;
}

export interface LockedPackage {
  readonly version: number;
  readonly hash: string;
}

export interface VersionChange {
  readonly id: string;
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

export interface Changes {
  readonly added: readonly { readonly id: string; readonly name: string; readonly version: number }[];
  readonly changed: readonly VersionChange[];
  readonly removed: readonly { readonly id: string; readonly name: string; readonly version: number }[];
}

export interface Lock {
  readonly rules: { readonly [id: string]: LockedRule };
  /** Packages versioned as a whole (the Splunk app), by target. */
  readonly packages: { readonly [target: string]: LockedPackage };
  readonly changes: Changes;
}

export const EMPTY_LOCK: Lock = { rules: {}, packages: {}, changes: { added: [], changed: [], removed: [] } };

/** `sha256:` of files (path -> text) in path order, each as path, length and text. */
export function contentHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const text = files.get(path) ?? '';
    hash.update(`${path}\n${Buffer.byteLength(text)}\n${text}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

export function lockText(lock: Lock): string {
  return stableJson({ about: ABOUT, ...(lock as unknown as { [key: string]: JsonValue }) });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isVersion = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStringMap = (v: unknown): boolean => isObject(v) && Object.values(v).every((h) => typeof h === 'string');

/** The first way `value` is not a lock, or undefined. */
function lockProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  const { rules, packages, changes } = value;
  if (!isObject(rules)) return 'it has no "rules" object';
  for (const [id, r] of Object.entries(rules)) {
    if (!isObject(r) || typeof r.name !== 'string' || !isVersion(r.version) || !isStringMap(r.hashes)) return `rule ${id} needs a name, a version and hashes`;
    if (r.removed !== undefined && r.removed !== true) return `rule ${id} has "removed" other than true`;
  }
  if (!isObject(packages) || !Object.values(packages).every((p) => isObject(p) && isVersion(p.version) && typeof p.hash === 'string')) return '"packages" needs a version and a hash per target';
  if (!isObject(changes) || !['added', 'changed', 'removed'].every((k) => Array.isArray(changes[k]))) return '"changes" needs added, changed and removed lists';
  return undefined;
}

/** The lock at `path`, or the empty lock when there is none yet. */
export function readLock(path: string): Lock {
  if (!existsSync(path)) return EMPTY_LOCK;
  if (statSync(path).isDirectory()) throw new UserError(`${path} is a folder; siemc keeps its version lock in a file of that name.`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(`${path} is not valid JSON (${(e as Error).message}); restore it from git (git checkout -- "${path}").`);
  }
  const problem = lockProblem(value);
  if (problem !== undefined) throw new UserError(`${path} is not a siemc lock: ${problem}; restore it from git (git checkout -- "${path}").`);
  const { rules, packages, changes } = value as unknown as Lock;
  return { rules, packages, changes };
}

/** Replaces the lock file whole: the new text goes to a temporary file that is renamed over it. */
export function writeLock(path: string, lock: Lock): boolean {
  const text = lockText(lock);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  const temp = `${path}.siemc-tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    if (existsSync(temp)) unlinkSync(temp);
    throw new UserError(`cannot write ${path}: ${(e as Error).message}.`);
  }
  return true;
}

export interface RuleState {
  readonly id: string;
  readonly name: string;
  /** The version written in the rule source. */
  readonly ownVersion: number;
  readonly hashes: { readonly [target: string]: string };
}

const sameHashes = (a: LockedRule['hashes'], b: LockedRule['hashes']): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * The next lock's rule entries: a rule's version is max(its own version, the locked version,
 * plus one when its content hash changed). Rules gone from the sources stay, marked removed.
 */
export function nextRules(previous: Lock, rules: readonly RuleState[]): { [id: string]: LockedRule } {
  const out: { [id: string]: LockedRule } = {};
  for (const r of rules) {
    const locked = previous.rules[r.id];
    const changed = locked !== undefined && !sameHashes(locked.hashes, r.hashes);
    const version = locked === undefined ? r.ownVersion : Math.max(r.ownVersion, locked.version + (changed ? 1 : 0));
    out[r.id] = { name: r.name, version, hashes: r.hashes };
  }
  const present = new Set(rules.map((r) => r.id));
  for (const [id, locked] of Object.entries(previous.rules)) if (!present.has(id)) out[id] = { ...locked, removed: true };
  return out;
}

/** A package's version: one more than the locked one when its hash changed, 1 when new. */
export function nextPackage(previous: LockedPackage | undefined, hash: string): LockedPackage {
  if (previous === undefined) return { version: 1, hash };
  return previous.hash === hash ? previous : { version: previous.version + 1, hash };
}

const byId = <T extends { readonly id: string }>(list: T[]): T[] => list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** What changed from `previous` to the new entries; the previous changes again when nothing did. */
export function nextChanges(previous: Lock, rules: Lock['rules'], packages: Lock['packages']): Changes {
  const added: { id: string; name: string; version: number }[] = [];
  const changed: VersionChange[] = [];
  const removed: { id: string; name: string; version: number }[] = [];
  for (const [id, r] of Object.entries(rules)) {
    const before = previous.rules[id];
    const wasLive = before !== undefined && before.removed !== true;
    if (r.removed === true) {
      if (wasLive) removed.push({ id, name: r.name, version: r.version });
    } else if (!wasLive) added.push({ id, name: r.name, version: r.version });
    else if (before.version !== r.version || !sameHashes(before.hashes, r.hashes) || before.name !== r.name) changed.push({ id, name: r.name, from: before.version, to: r.version });
  }
  const packagesMoved = Object.keys(packages).some((k) => previous.packages[k]?.hash !== packages[k]?.hash) || Object.keys(previous.packages).some((k) => packages[k] === undefined);
  if (added.length + changed.length + removed.length === 0 && !packagesMoved) return previous.changes;
  return { added: byId(added), changed: byId(changed), removed: byId(removed) };
}
