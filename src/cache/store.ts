/**
 * Files of the cache: read leniently (a missing, truncated or foreign file is a miss, never an
 * error) and written atomically (a temporary file renamed into place), so concurrent builds of
 * one project never see half a file.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

export function readCacheText(file: string): string | undefined {
  return readCacheBytes(file)?.toString('utf8');
}

export function readCacheBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The JSON in `file` when it carries `format`, else undefined. */
export function readCacheJson<T extends { readonly format: string }>(file: string, format: string): T | undefined {
  const text = readCacheText(file);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<T> | null;
    return value !== null && typeof value === 'object' && value.format === format ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

let counter = 0;

export function writeCacheText(file: string, text: string): void {
  writeCacheFile(file, text);
}

export function writeCacheBytes(file: string, bytes: Uint8Array): void {
  writeCacheFile(file, bytes);
}

function writeCacheFile(file: string, data: string | Uint8Array): void {
  // The thread too: a build's type-check thread writes to the same folder with its own counter.
  const tmp = `${file}.${process.pid}.${threadId}.${++counter}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written (read-only checkout) only makes the next build slower.
    rmSync(tmp, { force: true });
  }
}

export function writeCacheJson<T extends { readonly format: string }>(file: string, value: T): void {
  writeCacheText(file, JSON.stringify(value));
}
