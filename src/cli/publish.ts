import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../config.js';
import { writeOwnedFiles } from '../output/writer.js';
import { LOCK_FILE, lockPath, readLock, writeLock } from '../publish/lock.js';
import { CHANGELOG, MANIFEST, publishRules } from '../publish/publish.js';
import { publisherNamed, publishers } from '../publish/registry.js';
import type { Publisher } from '../publish/publisher.js';
import { UserError } from '../user-error.js';
import { checkOutputFolder, oneString } from './args.js';
import { loadOrReport, printDiagnostics, withRulesOption } from './common.js';

function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
}

function selectPublishers(names: readonly string[] | undefined, configured: readonly Publisher[]): readonly Publisher[] {
  if (names === undefined || names.length === 0) return configured;
  return [...new Set(names)].map((n) => {
    const p = publisherNamed(n);
    if (p === undefined) throw new UserError(`unknown target "${n}"; targets are ${publishers.map((t) => t.name).join(', ')}.`);
    return p;
  });
}

export function publishCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'publish',
    aliases: ['package'],
    describe: `Write packages each SIEM imports (${publishers.map((p) => p.name).join(', ')}) and bump versions in ${LOCK_FILE}`,
    builder: (y) =>
      withRulesOption(y)
        .option('out', { type: 'string', default: 'build/packages', describe: 'Output folder: <out>/<target>/...' })
        .option('target', { type: 'string', array: true, choices: publishers.map((p) => p.name), describe: 'Formats to write (default: all; the lock covers all)' })
        .option('strict', { type: 'boolean', default: false, describe: 'Treat approximations as errors' }),
    handler: async (argv) => {
      const args = argv as unknown as { strict: boolean; target?: string[] };
      const rulesDir = oneString(argv, 'rules');
      const out = oneString(argv, 'out');
      checkOutputFolder(out, rulesDir);
      const config = loadConfig();
      // publish.targets: the formats this project publishes; --target picks some of any for one run.
      const configured = publishers.filter((p) => config.publish?.targets?.some((t) => t === p.name) ?? true);
      const targets = selectPublishers(args.target, configured);
      const lockFile = lockPath(rulesDir);
      const lock = readLock(lockFile);
      const rules = await loadOrReport(rulesDir, 'text');
      if (rules === undefined) return setExit(1);
      const result = publishRules(rules, { config, strict: args.strict, lock, targets, siemcVersion: ownVersion() });
      printDiagnostics(result.diagnostics, 'text');
      if (result.diagnostics.some((d) => d.severity === 'error')) {
        console.error('siemc: errors above; nothing written.');
        return setExit(1);
      }
      const names = new Set(targets.map((t) => t.name));
      const kept = new Set(configured.map((t) => t.name));
      // With --target, other configured targets' files stay as they are; files of a target the
      // project no longer publishes (left out of publish.targets) are deleted, if siemc wrote them.
      const scope = (path: string): boolean => {
        const folder = path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
        return path === MANIFEST || path === CHANGELOG || names.has(folder) || !kept.has(folder);
      };
      // Text and the Splunk app's .tgz alike: owned, atomic, compared by content.
      const written = await writeOwnedFiles(out, new Map<string, string | Uint8Array>([...result.files, ...result.archives]), { scope });
      const lockChanged = writeLock(lockFile, result.lock);
      const bumped = result.lock.changes.changed.length;
      console.error(
        `siemc: ${rules.length} rule(s), ${targets.map((t) => t.name).join(', ')} -> ${out}/: ${written.written.length} written, ${written.deleted.length} deleted, ${written.unchanged} unchanged; ` +
          `${relative('.', lockFile)} ${lockChanged ? `updated (last change: ${result.lock.changes.added.length} added, ${bumped} changed, ${result.lock.changes.removed.length} removed)` : 'unchanged'}`,
      );
      setExit(0);
    },
  };
}
