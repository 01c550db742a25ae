/** Finds, type-checks, runs and validates rule modules. Nothing is returned as loaded unless all of it is sound. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { codeFrame, type Diagnostic } from '../diagnostics.js';
import { drainProblems } from '../dsl/problems.js';
import { isRule, type Rule } from '../model/rule.js';
import { typecheckRules } from './typecheck.js';
import { validateRules } from './validate.js';

export interface LoadResult {
  readonly rules: readonly Rule[];
  readonly diagnostics: readonly Diagnostic[];
}

export function findRuleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(resolve(dir));
  return out;
}

export interface LoadOptions {
  /** Skip the TypeScript check (faster; for tests that load known-good rules). */
  readonly typecheck?: boolean;
}

export async function loadRules(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files = findRuleFiles(dir);
  if (options.typecheck !== false) {
    const typeErrors = typecheckRules(files, dir);
    if (typeErrors.length > 0) return { rules: [], diagnostics: typeErrors };
  }
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  drainProblems();
  for (const file of files) {
    try {
      const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
      // A module namespace lists exports alphabetically; source order reads better in diagnostics.
      const found = Object.values(mod).filter(isRule).sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
      for (const rule of found) if (!rules.includes(rule)) rules.push(rule);
    } catch (e) {
      diagnostics.push({ code: 'SIEMC-L001', severity: 'error', message: `${file} failed to load: ${(e as Error).message}` });
    }
    for (const p of drainProblems()) {
      const frame = p.location === undefined ? undefined : codeFrame(readFileSync(p.location.file, 'utf8'), p.location.line, p.location.column);
      diagnostics.push({
        code: p.code,
        severity: 'error',
        message: p.message,
        ...(p.location === undefined ? {} : { location: p.location }),
        ...(frame === undefined ? {} : { frame }),
      });
    }
  }
  diagnostics.push(...validateRules(rules));
  return diagnostics.some((d) => d.severity === 'error') ? { rules: [], diagnostics } : { rules, diagnostics };
}
