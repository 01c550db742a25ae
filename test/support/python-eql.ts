/** Python's `eql` (the parser detection-rules validates with), in .venv/eql made by scripts/eql/setup.sh. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_DIR } from './rules.js';

const PYTHON = `${REPO_DIR}.venv/eql/bin/python`;

export function pythonEqlAvailable(): boolean {
  if (existsSync(PYTHON)) return true;
  if (process.env.CI === 'true') throw new Error('.venv/eql is missing; .ci/run makes it with scripts/eql/setup.sh');
  console.log('skipped: Python eql not installed (bash scripts/eql/setup.sh)');
  return false;
}

/** Parse errors by id (ids that parse are absent). */
export function pythonEqlErrors(queries: readonly { id: string; query: string }[]): Map<string, string> {
  const input = queries.map((q) => JSON.stringify(q)).join('\n');
  const r = spawnSync(PYTHON, [`${REPO_DIR}scripts/eql/parse.py`], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`scripts/eql/parse.py failed: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const { id, error } = JSON.parse(line) as { id: string; error: string | null };
    if (error !== null) out.set(id, error);
  }
  return out;
}
