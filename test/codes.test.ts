/** The table of diagnostic codes and the codes siemc reports are the same set. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { backends } from '../src/backends/registry.js';
import { CODES } from '../src/codes.js';
import { REPO_DIR } from './support/rules.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('every code used in src/ has an entry in src/codes.ts, and every entry is used', () => {
  const used = new Set<string>();
  for (const file of sources(`${REPO_DIR}src`)) {
    if (file.endsWith('/codes.ts')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/SIEMC-[A-Z]+\d+(?![0-9a-z])/g)) used.add(m[0]);
  }
  // Doc comments name code ranges (SIEMC-I1xx); those are not codes.
  expect([...used].filter((c) => !(c in CODES)).sort(), 'codes without an entry').toEqual([]);
  expect(Object.keys(CODES).filter((c) => !used.has(c)).sort(), 'entries no code uses').toEqual([]);
});

it("every code a backend's capability table names is in the table", () => {
  for (const b of backends) {
    for (const support of Object.values(b.capabilities)) {
      if (support.level !== 'exact') expect(CODES, `${b.name}: ${support.code}`).toHaveProperty([support.code]);
      for (const m of support.how.matchAll(/SIEMC-[A-Z]+\d+/g)) expect(CODES, `${b.name}: ${m[0]}`).toHaveProperty([m[0]]);
    }
  }
});

it('a backend reports only codes its own capability table names', () => {
  const missing: string[] = [];
  for (const b of backends) {
    const named = new Set<string>();
    for (const support of Object.values(b.capabilities)) {
      if (support.level !== 'exact') named.add(support.code);
      for (const m of support.how.matchAll(/SIEMC-A\d+/g)) named.add(m[0]);
    }
    const reported = new Set<string>();
    for (const file of sources(`${REPO_DIR}src/backends/${b.name}`)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/SIEMC-A\d+(?![0-9a-z])/g)) reported.add(m[0]);
    }
    missing.push(...[...reported].filter((c) => !named.has(c)).sort().map((c) => `${b.name} ${c}`));
  }
  expect(missing, 'codes a backend reports that its capability table does not name').toEqual([]);
});
