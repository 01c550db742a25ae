/**
 * Checks on command-line values that yargs lets through: an option given twice or empty, a
 * yes/no flag given another value, paths of the wrong kind. Each failure is one sentence that
 * names the argument and the fix.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { UsageError, UserError } from '../user-error.js';

/** The one value of a string option: given twice or empty is a usage error. */
export function oneString(argv: Readonly<Record<string, unknown>>, name: string): string {
  const value = argv[name];
  if (Array.isArray(value)) throw new UsageError(`--${name} was given ${value.length} times (${value.map((v) => JSON.stringify(String(v))).join(', ')}); give it once.`);
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value.`);
  if (value.trim() === '') throw new UsageError(`--${name} is empty; give it a path or value.`);
  return value;
}

/** Rejects `--flag=maybe` for yes/no options, which yargs would read as false. */
export function strictBooleans(rawArgs: readonly string[], argv: Readonly<Record<string, unknown>>): void {
  for (const token of rawArgs) {
    if (token === '--') return;
    const m = /^--([^=]+)=(.*)$/s.exec(token);
    if (m === null) continue;
    const name = m[1] as string;
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (typeof argv[name] !== 'boolean' && typeof argv[camel] !== 'boolean') continue;
    if (!/^(true|false)$/.test(m[2] as string)) throw new UsageError(`--${name}=${m[2]}: --${name} is a yes/no option; write --${name}, --no-${name} or --${name}=true|false.`);
  }
}

/** `path` resolved through the links of its existing part, so `a/../b` and symlinks compare as the same folder. */
function canonical(path: string): string {
  const abs = resolve(path);
  let existing = abs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return resolve(realpathSync(existing), relative(existing, abs));
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : `${parent}${sep}`);
}

/** The rules folder: it must exist and be a folder. */
export function checkRulesFolder(rulesDir: string): void {
  if (!existsSync(rulesDir)) throw new UserError(`rules folder "${rulesDir}" does not exist; pass --rules with the folder that holds your rule files.`);
  if (!statSync(rulesDir).isDirectory()) throw new UserError(`--rules "${rulesDir}" is a file; --rules takes the folder that holds your rule files.`);
}

/**
 * An output folder, checked before anything is loaded: a folder or nothing yet, under an existing
 * writable folder, and not inside the rules folder (its files would be loaded as rules).
 */
export function checkOutputFolder(out: string, rulesDir: string | undefined, option = '--out'): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UserError(`${option} "${out}" is a file; ${option} takes a folder.`);
  if (rulesDir !== undefined && existsSync(rulesDir) && isInside(canonical(out), canonical(rulesDir)))
    throw new UserError(`${option} "${out}" is inside the rules folder "${rulesDir}"; choose an output folder outside it.`);
  let ancestor = resolve(out);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw new UserError(`${option} "${out}" cannot be created: ${ancestor} is a file, not a folder.`);
  try {
    accessSync(ancestor, constants.W_OK);
  } catch {
    throw new UserError(`${option} "${out}" cannot be written: ${ancestor} is not writable.`);
  }
}

/** An http(s) URL, e.g. for --es. */
export function checkUrl(value: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} "${value}" is not a URL; write it as http://HOST:PORT, e.g. http://127.0.0.1:9200.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${option} "${value}" is not an http or https URL, e.g. http://127.0.0.1:9200.`);
  return url;
}
