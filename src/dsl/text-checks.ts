/**
 * Checks on the text a rule hands the DSL that the type checker cannot see: field names every
 * target can write, and characters no target can carry. Each problem is reported at the rule
 * line that called into the DSL (src/dsl/problems.ts).
 */
import { hasLoneSurrogate } from '../backends/common.js';
import { codePointName } from '../util/invisible.js';
import { reportProblem } from './problems.js';

/**
 * A field name every target accepts as it is: dot-separated segments of letters, digits, `_`,
 * `@` and `-`, each starting with a letter, `_` or `@`. Elasticsearch reads the dots as object
 * paths (so no empty segment), pySigma splits keys at `|`, SPL and KQL need quotes for spaces
 * and quotes that not every reader handles, and EQL writes other segments in backticks.
 */
export const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_@-]*(?:\.[A-Za-z_@][A-Za-z0-9_@-]*)*$/;

/** Reports a custom field name outside FIELD_NAME (SIEMC-R018). */
export function checkFieldName(name: unknown): void {
  if (typeof name === 'string' && FIELD_NAME.test(name)) return;
  reportProblem(
    'SIEMC-R018',
    `field name ${JSON.stringify(name)} is not a dotted name of segments [A-Za-z_@][A-Za-z0-9_@-]* that every target can write`,
  );
}

/**
 * Reports text that no target can carry (SIEMC-R017): a NUL (C-based engines end strings there,
 * git treats a file holding one as binary, Splunk's .conf files cannot hold it), or a lone
 * surrogate (no UTF-8 form, so no output file can hold it). Other control and invisible
 * characters are fine: every backend escapes them or reports what it cannot write.
 */
export function checkText(what: string, text: string): void {
  if (text.includes('\u0000')) {
    reportProblem('SIEMC-R017', `${what} ${JSON.stringify(text)} holds a NUL character (U+0000), which no target can carry`);
  }
  if (hasLoneSurrogate(text)) {
    const cp = Array.from(text).find((ch) => hasLoneSurrogate(ch))?.codePointAt(0) ?? 0;
    reportProblem('SIEMC-R017', `${what} ${JSON.stringify(text)} holds a lone surrogate (${codePointName(cp)}), which has no UTF-8 form`);
  }
}
