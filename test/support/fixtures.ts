/** Test inputs kept in the repository, and the optional corpora kept outside it. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_DIR } from './rules.js';

/** The reference rule's original EQL query (Elastic, v113), from test/fixtures/reference/. */
export function originalReferenceEql(): string {
  const md = readFileSync(`${REPO_DIR}test/fixtures/reference/commonly-abused-web-services.md`, 'utf8');
  const m = /^## Query[^\n]*\n```[^\n]*\n([\s\S]*?)\n?```/m.exec(md);
  if (m === null) throw new Error('no query block in test/fixtures/reference/commonly-abused-web-services.md');
  return `${m[1] as string}\n`;
}

/**
 * The corpora (SigmaHQ, Elastic detection-rules) live outside the repository: SIEMC_CORPORA, or
 * ../shared/corpora beside the clone. Outside CI a missing corpus skips its tests with one line;
 * in CI (CI=true) it is a failure.
 */
export const CORPORA_DIR = resolve(process.env.SIEMC_CORPORA ?? `${REPO_DIR}../shared/corpora`);

export function corpus(name: 'sigmahq' | 'elastic-detection-rules'): string | undefined {
  const dir = `${CORPORA_DIR}/${name}`;
  if (existsSync(dir)) return dir;
  if (process.env.CI === 'true') throw new Error(`corpus ${name} not found at ${dir} (set SIEMC_CORPORA); CI runs the corpus tests`);
  console.log(`skipped: corpus ${name} not found at ${dir} (set SIEMC_CORPORA to run its tests)`);
  return undefined;
}
