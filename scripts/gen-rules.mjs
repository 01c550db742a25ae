// Generates a rule project for the scaling bench: N rules that vary (fields, operators, list
// sizes, inline or shared lists, separate test-event modules, investigation guides), each with
// 50 test events whose verdicts follow from how the events are built, so `siemc build` passes.
// A project is what a user's repository looks like: tsconfig.json, node_modules/siemc (a link to
// this package) and rules/.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { seededRandom } from '../dist/util/random.js'; // npm run bench builds dist first

const hex = (n, width) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
const ruleId = (i) => `${hex(i * 2654435761, 8)}-${hex(i, 4)}-4000-8000-${hex(i * 40503, 12)}`;
const LIST_SIZES = [5, 20, 50, 200];
const STRING_FIELDS = [
  'process.name', 'process.executable', 'dns.question.name', 'user.name', 'host.name', 'file.path', 'file.name',
  'registry.path', 'process.command_line', 'url.domain', 'destination.domain', 'user.id', 'process.parent.name',
  'file.extension', 'event.action', 'event.code', 'dll.name',
];
const IP_FIELDS = ['source.ip', 'destination.ip'];
const NUMBER_FIELDS = ['destination.port', 'source.port', 'process.pid'];

/** Shared list module k: globs and exact values, of a size that varies between modules. */
function listModule(k) {
  const size = LIST_SIZES[k % LIST_SIZES.length];
  const globs = Array.from({ length: size }, (_, j) => `*.svc${k}-${j}.example`);
  const values = Array.from({ length: size }, (_, j) => `value-${k}-${j}.exe`);
  return {
    size,
    text:
      `/** Shared list ${k} (${size} entries). */\n` +
      `export const globs${k}: readonly string[] = ${JSON.stringify(globs, null, 2)};\n\n` +
      `export const values${k}: readonly string[] = ${JSON.stringify(values, null, 2)};\n`,
  };
}

/**
 * One condition: its DSL text, and how to make an event value that satisfies it (sat) or not
 * (unsat; undefined leaves the field out). Every condition of a rule uses its own field.
 */
function conditionFor(kind, fieldName, rnd, i, lists) {
  const pick = (n) => Math.floor(rnd() * n);
  switch (kind) {
    case 'equals': {
      const v = `v${i}-${pick(1000)}.bin`;
      return { text: `field('${fieldName}').equals(${JSON.stringify(v)})`, sat: () => v, unsat: () => `${v}x` };
    }
    case 'equalsIgnoreCase': {
      const v = `Mixed${i}Case`;
      return { text: `field('${fieldName}').equalsIgnoreCase(${JSON.stringify(v)})`, sat: () => v.toUpperCase(), unsat: () => `${v}-no` };
    }
    case 'in': {
      const values = Array.from({ length: 1 + pick(30) }, (_, j) => `in-${i}-${j}`);
      return { text: `field('${fieldName}').in(${JSON.stringify(values)})`, sat: (t) => values[t % values.length], unsat: () => `in-${i}-none` };
    }
    case 'inShared': {
      const k = pick(lists.length);
      lists[k].used = true;
      return {
        import: k,
        text: `field('${fieldName}').inIgnoreCase(values${k})`,
        sat: (t) => `value-${k}-${t % lists[k].size}.exe`.toUpperCase(),
        unsat: () => `value-${k}-none.exe`,
      };
    }
    case 'likeShared': {
      const k = pick(lists.length);
      lists[k].used = true;
      return {
        import: k,
        text: `field('${fieldName}').likeIgnoreCase(globs${k})`,
        sat: (t) => `Host${t}.SVC${k}-${t % lists[k].size}.example`,
        unsat: () => `host.svc${k}-x.invalid`,
      };
    }
    case 'like': {
      const globs = Array.from({ length: 1 + pick(8) }, (_, j) => `C:\\\\dir${i}-${j}\\\\*.exe`);
      return {
        text: `field('${fieldName}').like([${globs.map((g) => `'${g}'`).join(', ')}])`,
        sat: (t) => `C:\\dir${i}-${t % globs.length}\\tool${t}.exe`,
        unsat: () => `C:\\DIR${i}-0\\tool.exe`,
      };
    }
    case 'matches':
      return { text: `field('${fieldName}').matches('svc[0-9]+-${i}')`, sat: (t) => `svc${t}-${i}`, unsat: () => `svc-${i}` };
    case 'exists':
      return { text: `field('${fieldName}').exists()`, sat: () => '', unsat: () => undefined };
    case 'notIn': {
      const values = Array.from({ length: 1 + pick(10) }, (_, j) => `S-1-5-${i}-${j}`);
      return { text: `not(field('${fieldName}').in(${JSON.stringify(values)}))`, sat: () => `S-1-5-${i}-other`, unsat: (t) => values[t % values.length] };
    }
    case 'cidr': {
      const octet = 1 + (i % 250);
      return { text: `field('${fieldName}').inCidr(['10.${octet}.0.0/16', '192.168.${octet}.0/24'])`, sat: (t) => `10.${octet}.${t % 256}.1`, unsat: () => `11.${octet}.0.1` };
    }
    case 'range': {
      const low = 1000 + pick(1000);
      return { text: `field('${fieldName}').between(${low}, ${low + 100})`, sat: (t) => low + (t % 100), unsat: () => low - 1 };
    }
    case 'gt':
      return { text: `field('${fieldName}').gt(${i})`, sat: (t) => i + 1 + t, unsat: () => i };
    case 'trusted':
      return { text: `field('process.code_signature.trusted').isTrue()`, sat: () => true, unsat: () => false };
    default:
      throw new Error(`unknown condition kind ${kind}`);
  }
}

const STRING_KINDS = ['equals', 'equalsIgnoreCase', 'in', 'inShared', 'likeShared', 'like', 'matches', 'exists', 'notIn'];

function setPath(event, dotted, value) {
  const parts = dotted.split('.');
  let o = event;
  for (const p of parts.slice(0, -1)) o = o[p] ??= {};
  o[parts[parts.length - 1]] = value;
}

/** One test event a line, as an author would write them. */
const eventLines = (tests, indent) => tests.map((t) => `${indent}${JSON.stringify(t)},`).join('\n');

/** The source of rule i (variant changes its values, for the "one rule changed" rebuild). */
export function ruleSource(i, lists, variant = 0) {
  const rnd = seededRandom(i * 7919 + variant * 104729 + 1);
  const pick = (n) => Math.floor(rnd() * n);
  const fields = [...STRING_FIELDS].sort(() => rnd() - 0.5).slice(0, 3 + pick(4));
  const conds = fields.map((f) => conditionFor(STRING_KINDS[pick(STRING_KINDS.length)], f, rnd, i, lists));
  if (rnd() < 0.3) conds.push(conditionFor('cidr', IP_FIELDS[pick(IP_FIELDS.length)], rnd, i, lists));
  if (rnd() < 0.3) conds.push(conditionFor(rnd() < 0.5 ? 'range' : 'gt', NUMBER_FIELDS[pick(NUMBER_FIELDS.length)], rnd, i, lists));
  if (rnd() < 0.2) conds.push(conditionFor('trusted', '', rnd, i, lists));
  const fieldOf = (c) => /field\('([^']+)'\)/.exec(c.text)[1];
  const tests = [];
  for (let t = 0; t < 50; t++) {
    const event = { event: { category: 'process' } };
    const broken = t < 25 ? -1 : t % conds.length;
    conds.forEach((c, j) => {
      const v = j === broken ? c.unsat(t) : c.sat(t);
      if (v !== undefined) setPath(event, fieldOf(c), v);
    });
    tests.push({ name: `event ${t}`, expect: broken < 0 ? 'match' : 'no match', event });
  }
  const imports = [...new Set(conds.filter((c) => c.import !== undefined).map((c) => c.import))].sort((a, b) => a - b);
  const separateTests = i % 2 === 1;
  const guide = i % 10 === 3;
  const lines = [
    `import { all, defineRule, field${guide ? ', markdown' : ''}, not } from 'siemc';`,
    ...imports.map((k) => `import { globs${k}, values${k} } from '../../lists/list-${k}.js';`),
    ...(separateTests ? [`import { tests } from './test-events.js';`] : []),
    '',
    `export const rule${i} = defineRule({`,
    `  id: '${ruleId(i)}',`,
    `  name: 'Generated rule ${i}${variant > 0 ? ` v${variant}` : ''}',`,
    `  description: 'Generated for the scaling bench.',`,
    `  author: ['siemc bench'],`,
    `  license: 'Apache-2.0',`,
    `  severity: '${['low', 'medium', 'high', 'critical'][i % 4]}',`,
    `  riskScore: ${(i * 7) % 101},`,
    `  schedule: { interval: '5m', from: 'now-9m' },`,
    `  maxSignals: 100,`,
    `  index: ['logs-*'],`,
    `  tags: ['Generated'],`,
    `  mitre: [{ tactic: { id: 'TA0011', name: 'Command and Control' }, techniques: [{ id: 'T1102', name: 'Web Service' }] }],`,
    `  references: [],`,
    `  falsePositives: [],`,
    ...(guide ? [`  note: markdown(import.meta.url, './guide.md'),`] : []),
    `  version: ${1 + variant},`,
    `  query: all(`,
    ...conds.map((c) => `    ${c.text},`),
    `  ),`,
    separateTests ? `  tests,` : `  tests: [\n${eventLines(tests, '    ')}\n  ],`,
    `});`,
    '',
  ];
  return {
    rule: lines.join('\n'),
    tests: separateTests ? `import type { RuleTest } from 'siemc';\n\nexport const tests: readonly RuleTest[] = [\n${eventLines(tests, '  ')}\n];\n` : undefined,
    guide: guide ? `# Rule ${i}\n\nTriage: look at the process tree.\n` : undefined,
  };
}

export const ruleDir = (root, i) => join(root, 'rules', `group-${i % 10}`, `rule-${i}`);

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes rule i (variant v) into the project. */
export function writeRule(root, i, lists, variant = 0) {
  const src = ruleSource(i, lists, variant);
  const dir = ruleDir(root, i);
  write(join(dir, 'rule.ts'), src.rule);
  if (src.tests !== undefined) write(join(dir, 'test-events.ts'), src.tests);
  if (src.guide !== undefined) write(join(dir, 'guide.md'), src.guide);
}

export function listCount(n) {
  return Math.max(1, Math.round(n / 20));
}

/** A fresh project of n rules in root (emptied first), linked to the siemc package at packageDir. */
export function generateProject(root, n, packageDir) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(packageDir, join(root, 'node_modules', 'siemc'), 'dir');
  // Node's types (import.meta.url), as a user's project has them.
  mkdirSync(join(root, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(packageDir, 'node_modules', '@types', 'node'), join(root, 'node_modules', '@types', 'node'), 'dir');
  write(join(root, 'package.json'), JSON.stringify({ name: 'bench-rules', private: true, type: 'module' }, null, 2));
  write(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, lib: ["ES2022"], types: ["node"] }, include: ['rules'] }, null, 2),
  );
  const lists = Array.from({ length: listCount(n) }, (_, k) => listModule(k));
  for (let i = 0; i < n; i++) writeRule(root, i, lists);
  lists.forEach((l, k) => write(join(root, 'rules', 'lists', `list-${k}.ts`), l.text));
  return { lists, rulesDir: join(root, 'rules') };
}
