import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { backends } from '../src/backends/registry.js';
import { renderTargetsDoc } from '../src/docs/targets-doc.js';
import { REPO_DIR } from './support/rules.js';

it('docs/targets.md is generated from the current capability tables (run npm run rules)', () => {
  expect(readFileSync(`${REPO_DIR}docs/targets.md`, 'utf8')).toBe(renderTargetsDoc(backends));
});
