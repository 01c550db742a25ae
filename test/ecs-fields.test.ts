import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { REPO_DIR } from './support/rules.js';

it('src/schema/ecs-fields.generated.ts is current with @elastic/ecs', () => {
  const r = spawnSync(process.execPath, [`${REPO_DIR}scripts/gen-ecs-fields.mjs`, '--check'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
