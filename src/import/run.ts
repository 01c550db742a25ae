/**
 * Runs an importer over files and folders: every file it accepts, in a stable order, with every
 * problem kept as a diagnostic (a crash in an importer is reported for its file, never fatal).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../model/rule.js';
import { UserError } from '../user-error.js';
import { filesUnder } from '../util/files.js';
import type { Importer } from './importer.js';

export interface ImportRun {
  readonly files: number;
  readonly rules: readonly Rule[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The files to read: each path as given if a file, else every accepted file below it, sorted. */
export function importFiles(importer: Importer, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new UserError(`"${path}" does not exist; name ${importer.title} files or folders that hold them.`);
    }
    if (isDir) out.push(...filesUnder(path, (p, name) => !name.startsWith('.') && importer.accepts(p), (name) => !name.startsWith('.') && name !== 'node_modules'));
    else out.push(path);
  }
  return out;
}

export function runImport(importer: Importer, files: readonly string[], progress?: (done: number, total: number) => void): ImportRun {
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  const ids = new Map<string, string>();
  files.forEach((file, i) => {
    progress?.(i, files.length);
    let result;
    try {
      result = importer.importFile(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (e) {
      diagnostics.push({ code: 'SIEMC-I001', severity: 'error', message: `${file}: the ${importer.name} importer failed (a bug in siemc; please report it): ${(e as Error).message}` });
      return;
    }
    diagnostics.push(...result.diagnostics);
    for (const rule of result.rules) {
      const first = ids.get(rule.id);
      if (first !== undefined) {
        diagnostics.push({ code: 'SIEMC-I002', severity: 'error', rule: rule.id, message: `${file}: rule id ${rule.id} was already imported from ${first}; this copy is skipped`, ...(rule.location === undefined ? {} : { location: rule.location }) });
        continue;
      }
      ids.set(rule.id, file);
      rules.push(rule);
    }
  });
  progress?.(files.length, files.length);
  return { files: files.length, rules, diagnostics };
}
