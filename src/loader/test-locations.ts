/**
 * Where a rule's test event is written: the line of its `name: '...'` in the rule's module or a
 * module it imports relatively (rules often keep their events in ./test-events.ts). A text search
 * suffices: test names are unique within a rule (SIEMC-R031).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceLocation } from '../model/location.js';

function quoted(name: string): string[] {
  return [`'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`, `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`, `\`${name}\``];
}

/** Relative imports of a module, as the .ts files they name. */
function localImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'));
    if (existsSync(target)) out.push(target);
  }
  return out;
}

export function testLocation(ruleFile: string, testName: string): SourceLocation | undefined {
  const seen = new Set<string>();
  const queue = [ruleFile];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      for (const q of quoted(testName)) {
        const at = line.indexOf(q);
        if (at >= 0 && /\bname\s*:\s*$/.test(line.slice(0, at))) return { file, line: i + 1, column: at + 1 };
      }
    }
    queue.push(...localImports(file, text));
  }
  return undefined;
}
