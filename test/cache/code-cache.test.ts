import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCached } from '../../src/cache/code-cache.js';

interface Mod {
  readonly twice: (n: number) => number;
  readonly name: string;
  readonly dir: string;
  readonly self: boolean;
}

const source = (factor: number): string =>
  `const { basename } = require('node:path');\nmodule.exports = { twice: (n) => ${factor} * n, name: basename(__filename), dir: __dirname, self: this === module.exports };\n`;

describe('requireCached', () => {
  it('runs a CommonJS module as require does, from V8 code cached after its first use, and not from a stale cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siemc-code-cache-'));
    const cacheDir = join(dir, 'cache');
    const file = join(dir, 'mod.cjs');
    writeFileSync(file, source(2));

    const first = requireCached<Mod>(file, import.meta.url, cacheDir);
    expect(first.fromCache).toBe(false);
    expect(first.exports).toMatchObject({ name: 'mod.cjs', dir, self: true });
    expect(first.exports.twice(21)).toBe(42);
    first.save();
    expect(readdirSync(cacheDir)).toHaveLength(1);

    const second = requireCached<Mod>(file, import.meta.url, cacheDir);
    expect(second.fromCache).toBe(true);
    expect(second.exports.twice(4)).toBe(8);

    // The same length, other code: V8 alone would take the old cache (it checks only the length).
    writeFileSync(file, source(3));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const third = requireCached<Mod>(file, import.meta.url, cacheDir);
    expect(third.fromCache).toBe(false);
    expect(third.exports.twice(4)).toBe(12);
  });

  it('is a plain require without a cache folder', () => {
    const m = requireCached<{ sep: string }>('node:path', import.meta.url, undefined);
    expect(m.fromCache).toBe(false);
    expect(m.exports.sep).toBe('/');
  });
});
