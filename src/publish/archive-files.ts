/**
 * Binary outputs (the Splunk app's .tgz). The owned writer (src/output/writer.ts) writes text
 * only, so archives are written here after it, each atomically (a temporary file renamed over
 * the old one) and only when their bytes changed. They are made from text files the writer just
 * wrote, and the publish manifest lists them.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureFolder } from '../output/writer.js';
import { UserError } from '../user-error.js';

export function writeArchives(dir: string, archives: ReadonlyMap<string, Uint8Array>): string[] {
  const written: string[] = [];
  for (const [path, bytes] of [...archives].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const full = join(dir, path);
    if (existsSync(full) && Buffer.from(readFileSync(full)).equals(Buffer.from(bytes))) continue;
    ensureFolder(dirname(full));
    const temp = `${full}.siemc-tmp`;
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, full);
    } catch (e) {
      if (existsSync(temp)) unlinkSync(temp);
      throw new UserError(`cannot write ${full}: ${(e as Error).message}.`);
    }
    written.push(path);
  }
  return written;
}
