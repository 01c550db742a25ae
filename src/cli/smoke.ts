import { randomBytes } from 'node:crypto';
import type { CommandModule } from 'yargs';
import { toQuery } from '../backends/esdsl/index.js';
import { evaluate } from '../eval/evaluate.js';
import { fieldsOf } from '../ir/fields.js';
import { normalize } from '../ir/normalize.js';
import { checkUrl, oneString } from './args.js';
import { loadOrReport, UserError, withRulesOption } from './common.js';

export function smokeCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'smoke',
    describe: "Run each rule's Query DSL on your Elasticsearch over the rule's test events, in a temporary index, and report disagreements",
    builder: (y) =>
      withRulesOption(y)
        .option('es', { type: 'string', demandOption: true, describe: 'Elasticsearch URL, e.g. http://127.0.0.1:9200' })
        .option('rule', { type: 'string', describe: 'Only this rule id' }),
    handler: async (argv) => {
      const args = argv as unknown as { rules: string; es: string; rule?: string };
      checkUrl(oneString(argv, 'es'), '--es');
      const rules = await loadOrReport(oneString(argv, 'rules'), 'text');
      if (rules === undefined) return setExit(1);
      const selected = args.rule === undefined ? rules : rules.filter((r) => r.id === args.rule);
      if (selected.length === 0) throw new UserError(`no rule with id "${args.rule ?? ''}" in ${args.rules}/`);
      // Loaded here: the Elasticsearch client is a tenth of a second of every other command's start-up.
      const { connect, disagreements, formatDisagreements, hitIds, indexEvents } = await import('../live/check.js');
      const client = connect(args.es);
      let failed = 0;
      for (const rule of selected) {
        const index = `siemc-smoke-${rule.id}-${randomBytes(4).toString('hex')}`;
        const query = normalize(rule.query);
        const events = rule.tests.map((t, i) => ({ id: String(i), name: t.name, event: t.event }));
        try {
          await indexEvents(client, index, fieldsOf(query), events);
          const hits = await hitIds(client, index, { query: toQuery(query) });
          const diff = disagreements(events, (e) => evaluate(query, e.event), hits);
          if (diff.length > 0) failed++;
          console.log(formatDisagreements(`${rule.id} (${rule.name}), ${events.length} events`, diff));
        } catch (e) {
          throw new UserError(`Elasticsearch at ${args.es}: ${(e as Error).message}`);
        } finally {
          await client.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
        }
      }
      await client.close();
      setExit(failed > 0 ? 1 : 0);
    },
  };
}
