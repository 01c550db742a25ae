/**
 * What siemc owns in an output folder, and what a build in progress is doing there.
 *
 * - The manifest (`.siemc-manifest.json`, committed with the outputs) lists every file siemc
 *   wrote, one path a line. siemc deletes only files it lists; anything else in the folder
 *   (a NOTES.md, another tool's folder) is the user's and is never touched.
 * - The journal (`.siemc-journal.json`) exists only while a build writes. It names the
 *   temporary files about to be renamed into place and the files about to be deleted, so a
 *   build killed at any point can be recognised (`siemc check`) and repaired (the next build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../user-error.js';

export const MANIFEST_FILE = '.siemc-manifest.json';
export const JOURNAL_FILE = '.siemc-journal.json';
/** Suffix of a file written in full before it is renamed over its final name. */
export const TEMP_SUFFIX = '.siemc-tmp';

const ABOUT = 'Files siemc wrote in this folder. siemc rewrites and deletes only these; every other file here is yours.';

export interface Journal {
  /** Paths whose new content is written to `<path>.siemc-tmp`, then renamed over `<path>`. */
  readonly writing: readonly string[];
  readonly deleting: readonly string[];
}

/** The manifest file's text for a set of owned paths: stable, one path a line, so pull requests diff it cleanly. */
export function manifestText(paths: Iterable<string>): string {
  return `${JSON.stringify({ about: ABOUT, files: [...new Set(paths)].sort() }, null, 2)}\n`;
}

function readJson(dir: string, name: string): unknown {
  const path = join(dir, name);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new UserError(`${path} is not valid JSON; restore it from git (git checkout -- "${path}") or delete it if this folder holds nothing of yours.`);
  }
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && isOwnablePath(v));
}

/** The owned paths, or undefined when the folder has no manifest yet (never built, or built by an older siemc). */
export function readManifest(dir: string): Set<string> | undefined {
  const value = readJson(dir, MANIFEST_FILE);
  if (value === undefined) return undefined;
  const files = (value as { files?: unknown }).files;
  if (!stringList(files)) throw new UserError(`${join(dir, MANIFEST_FILE)} is not a siemc manifest (no "files" list of relative paths); restore it from git.`);
  return new Set(files);
}

export function readJournal(dir: string): Journal | undefined {
  const value = readJson(dir, JOURNAL_FILE);
  if (value === undefined) return undefined;
  const { writing, deleting } = value as { writing?: unknown; deleting?: unknown };
  if (!stringList(writing) || !stringList(deleting)) throw new UserError(`${join(dir, JOURNAL_FILE)} is not a siemc journal; delete it and run siemc build.`);
  return { writing, deleting };
}

export function journalText(journal: Journal): string {
  return `${JSON.stringify(journal, null, 2)}\n`;
}

/** A relative path below the folder: no absolute paths, no `.`/`..` segments, not siemc's own bookkeeping files. */
export function isOwnablePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return false;
  return path !== MANIFEST_FILE && path !== JOURNAL_FILE && !path.endsWith(TEMP_SUFFIX);
}
