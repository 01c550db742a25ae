/**
 * The EQL frontend on Elastic's own single-event EQL rules (the detection-rules corpus, outside
 * the repository): every query parses, or fails with a located syntax error; nothing crashes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { EqlSyntaxError, parseEql } from '../../src/frontends/eql/parse.js';
import { elasticCorpusFiles } from '../support/elastic-corpus.js';
import { corpus } from '../support/fixtures.js';

const dir = corpus('elastic-detection-rules');

describe.skipIf(dir === undefined)('Elastic detection-rules corpus: single-event EQL', () => {
  it('every query parses or fails with a located syntax error', () => {
    let parsed = 0;
    const refused: string[] = [];
    for (const file of elasticCorpusFiles(dir as string)) {
      const rule = (parse(readFileSync(file, 'utf8')) as { rule?: { language?: unknown; query?: unknown } }).rule;
      if (rule?.language !== 'eql' || typeof rule.query !== 'string' || /^\s*(sequence|sample)\b/.test(rule.query)) continue;
      try {
        parseEql(rule.query);
        parsed++;
      } catch (e) {
        expect(e, file).toBeInstanceOf(EqlSyntaxError);
        expect((e as Error).message, file).toMatch(/^line \d+:\d+: /);
        refused.push(file);
      }
    }
    console.log(`elastic corpus: ${parsed} single-event EQL queries parsed, ${refused.length} refused with a syntax error`);
    expect(parsed).toBeGreaterThan(600);
  });
});
