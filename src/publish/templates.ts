/**
 * Handlebars for the publishable files in targets/: an isolated instance, strict (a missing
 * field is an error, not an empty string), HTML escaping off, and every value that needs
 * escaping for its file format goes through a helper here, never through template text.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { codePointName, replaceInvisible } from '../util/invisible.js';

const TARGETS = new URL('../../targets/', import.meta.url);

const hbs = Handlebars.create();

/**
 * A .conf value: one logical line. Splunk continues a value on the next line when a line ends
 * with a backslash, so every newline becomes `\` + newline, and a line that itself ends with a
 * backslash gets a trailing space (SPL ignores it outside quoted strings; siemc's SPL never
 * has a newline inside a string).
 */
export function confValue(text: string): string {
  // A .conf file has no escapes: a control or invisible character would go in raw (a NUL would
  // end the value in Splunk's C++ reader). The SPL backend never writes one and rule metadata
  // may not hold one (SIEMC-R045); should one come anyway, it is shown as `<U+202E>`, not hidden.
  return replaceInvisible(text, (cp) => (cp === 0x09 || cp === 0x0a || cp === 0x0d ? String.fromCharCode(cp) : `<${codePointName(cp)}>`))
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line.endsWith('\\') ? `${line} ` : line))
    .join('\\\n');
}

/** A stanza name: `[` and `]` and line breaks would end or split the stanza header. */
export function confStanza(text: string): string {
  return text.replace(/[[\]\r\n]/g, (c) => (c === '[' ? '(' : c === ']' ? ')' : ' '));
}

/** `5m` -> `*\/5 * * * *`; hours and days likewise. */
export function cronFor(interval: string): string {
  const m = /^(\d+)([smhd])$/.exec(interval);
  if (!m) throw new Error(`interval "${interval}" is not like 5m`);
  const n = Number(m[1]);
  switch (m[2]) {
    case 's':
    case 'm':
      return `*/${Math.max(1, m[2] === 's' ? Math.ceil(n / 60) : n)} * * * *`;
    case 'h':
      return `0 */${n} * * *`;
    default:
      return `0 0 */${n} * *`;
  }
}

/** Date math `now-9m` as a Splunk relative time `-9m`. */
export function splunkTime(dateMath: string): string {
  const m = /^now-(\d+)([smhd])$/.exec(dateMath);
  if (!m) throw new Error(`look-back "${dateMath}" is not like now-9m`);
  return `-${m[1]}${m[2]}`;
}

const SEVERITY: Record<string, number> = { low: 2, medium: 3, high: 4, critical: 5 };

hbs.registerHelper('conf', (v: unknown) => confValue(String(v)));
hbs.registerHelper('stanza', (v: unknown) => confStanza(String(v)));
hbs.registerHelper('cron', (v: unknown) => cronFor(String(v)));
hbs.registerHelper('splunkTime', (v: unknown) => splunkTime(String(v)));
hbs.registerHelper('splunkSeverity', (v: unknown) => {
  const s = SEVERITY[String(v)];
  if (s === undefined) throw new Error(`unknown severity "${String(v)}"`);
  return s;
});
hbs.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(String(sep)) : ''));

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders targets/<name> with `data`. */
export function renderTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    template = hbs.compile(readFileSync(new URL(name, TARGETS), 'utf8'), { strict: true, noEscape: true });
    cache.set(name, template);
  }
  return template(data);
}
