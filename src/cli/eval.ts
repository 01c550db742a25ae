import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { evaluate } from '../eval/evaluate.js';
import type { Json } from '../eval/values.js';
import { normalize } from '../ir/normalize.js';
import { ecsFieldTypes } from '../schema/ecs-fields.generated.js';
import { oneString } from './args.js';
import { loadOrReport, UserError, withRulesOption } from './common.js';

export function evalCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'eval',
    describe: 'Run a rule over events (NDJSON) with the reference evaluator; print {"line","match"} per event',
    builder: (y) =>
      withRulesOption(y)
        .option('rule', { type: 'string', demandOption: true, describe: 'Rule id' })
        .option('events', { type: 'string', demandOption: true, describe: 'NDJSON file (- for standard input): an event object, or {"event": ...}, per line' }),
    handler: async (argv) => {
      const rulesDir = oneString(argv, 'rules');
      const ruleId = oneString(argv, 'rule');
      const events = oneString(argv, 'events');
      const text = readEvents(events);
      const rules = await loadOrReport(rulesDir, 'text');
      if (rules === undefined) return setExit(1);
      const rule = rules.find((r) => r.id === ruleId);
      if (rule === undefined) throw new UserError(`no rule with id "${ruleId}" in ${rulesDir}/`);
      const query = normalize(rule.query);
      const out: string[] = [];
      const name = events === '-' ? 'standard input' : events;
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new UserError(`${name}:${i + 1} is not valid JSON; each line must be one JSON object.`);
        }
        const event = isWrapped(value) ? value.event : value;
        if (typeof event !== 'object' || event === null || Array.isArray(event))
          throw new UserError(`${name}:${i + 1} is ${describeJson(event)}, not an event; each line must be one JSON object.`);
        out.push(JSON.stringify({ line: i + 1, match: evaluate(query, event as Json) }));
      });
      process.stdout.write(out.length === 0 ? '' : `${out.join('\n')}\n`);
      setExit(0);
    },
  };
}

/** The events text, from a file or standard input (`-`), without a UTF-8 byte-order mark. */
function readEvents(path: string): string {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? 'unreadable';
    throw new UserError(`cannot read events file "${path}" (${why}); --events takes an NDJSON file, or - for standard input.`);
  }
  return text.replace(/^\uFEFF/, '');
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  return `a JSON ${typeof value}`;
}

const WRAPPER_KEYS = new Set(['event', 'name', 'expect', 'why', 'id', 'description']);

/**
 * `{"event": {...}}` is ambiguous: ECS events have an `event` object too (`event.category`).
 * A line is a wrapper when all its keys are wrapper keys and either it has more than `event`,
 * or its `event` holds something that is not an ECS `event.*` field.
 */
function isWrapped(value: unknown): value is { event: Json } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('event' in value)) return false;
  const keys = Object.keys(value);
  if (!keys.every((k) => WRAPPER_KEYS.has(k))) return false;
  if (keys.length > 1) return true;
  const inner = (value as { event: unknown }).event;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return false;
  return Object.keys(inner).some((k) => !(`event.${k.split('.')[0] ?? ''}` in ecsFieldTypes));
}
