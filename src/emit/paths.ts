/**
 * Where each emitted module goes: `<folder>/<kebab-name>.ts`, the folder mirroring the source's
 * folder (below `root` when given; else, for an absolute path, its own folder's name), the name from the source
 * file (or the rule's name when one file held several rules, or there is no source file).
 */
import { basename, dirname, extname, isAbsolute, relative, sep } from 'node:path';
import type { Rule } from '../model/rule.js';
import { kebabName } from './literals.js';

export function sourceFile(rule: Rule): string | undefined {
  return rule.provenance?.location?.file ?? rule.location?.file;
}

/** The source path as the header comment shows it: below root, else the file name alone. */
export function displaySource(file: string, root: string | undefined): string {
  const below = root === undefined ? undefined : relative(root, file);
  if (below !== undefined && below !== '' && !below.startsWith('..') && !isAbsolute(below)) return below.split(sep).join('/');
  return isAbsolute(file) ? basename(file) : file.split(sep).join('/');
}

function folderSegments(rule: Rule, root: string | undefined): string[] {
  const file = sourceFile(rule);
  const byKind = [kebabName(rule.provenance?.kind ?? 'rules', 'rules')];
  if (file === undefined) return byKind;
  const shown = displaySource(file, root);
  // Outside root (or with none), an absolute path keeps only its own folder's name.
  const dir = shown === basename(file) && isAbsolute(file) ? basename(dirname(file)) : dirname(shown);
  const segments = dir
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => kebabName(s, 'rules'));
  return segments.length === 0 ? byKind : segments;
}

/** One distinct module path per rule (in input order), none of them in `taken`. */
export function modulePaths(rules: readonly Rule[], root: string | undefined, taken: Set<string>): string[] {
  const perFile = new Map<string, number>();
  for (const r of rules) {
    const f = sourceFile(r);
    if (f !== undefined) perFile.set(f, (perFile.get(f) ?? 0) + 1);
  }
  return rules.map((rule) => {
    const file = sourceFile(rule);
    const stem =
      file !== undefined && perFile.get(file) === 1
        ? kebabName(basename(file, extname(file)), kebabName(rule.name, 'rule'))
        : kebabName(rule.name, 'rule');
    const folder = folderSegments(rule, root).join('/');
    let path = `${folder}/${stem}.ts`;
    for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${folder}/${stem}-${n}.ts`;
    taken.add(path.toLowerCase());
    return path;
  });
}

/** A relative import specifier from one emitted module to another, with the `.js` extension rules use. */
export function importSpecifier(fromModule: string, toModule: string): string {
  const from = fromModule.split('/').slice(0, -1);
  const to = toModule.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/').replace(/\.ts$/, '.js');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}
