import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { evaluate } from '../eval/evaluate.js';
import type { Json } from '../eval/values.js';
import { normalize } from '../ir/normalize.js';
import { ecsFieldTypes } from '../dsl/ecs-fields.generated.js';
import { loadOrReport, UserError, withRulesOption } from './common.js';

export function evalCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'eval',
    describe: 'Run a rule over events (NDJSON) with the reference evaluator; print {"line","match"} per event',
    builder: (y) =>
      withRulesOption(y)
        .option('rule', { type: 'string', demandOption: true, describe: 'Rule id' })
        .option('events', { type: 'string', demandOption: true, describe: 'NDJSON file: an event, or {"event": ...}, per line' }),
    handler: async (argv) => {
      const args = argv as unknown as { rules: string; rule: string; events: string };
      const rules = await loadOrReport(args.rules, 'text');
      if (rules === undefined) return setExit(1);
      const rule = rules.find((r) => r.id === args.rule);
      if (rule === undefined) throw new UserError(`no rule with id "${args.rule}" in ${args.rules}/`);
      let text: string;
      try {
        text = readFileSync(args.events, 'utf8');
      } catch {
        throw new UserError(`cannot read events file "${args.events}"`);
      }
      const query = normalize(rule.query);
      const out: string[] = [];
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new UserError(`${args.events}:${i + 1} is not valid JSON`);
        }
        const event = isWrapped(value) ? value.event : (value as Json);
        out.push(JSON.stringify({ line: i + 1, match: evaluate(query, event) }));
      });
      process.stdout.write(out.length === 0 ? '' : `${out.join('\n')}\n`);
      setExit(0);
    },
  };
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
