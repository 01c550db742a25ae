// `npm run bench`: figures for siemc's compile pipeline, with pySigma (the reference Sigma
// toolchain) converting the same rule side by side in the same run. Prints a table; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateProject, listCount, ruleDir, writeRule } from './gen-rules.mjs';
import { checkServerStatus, stopCheckServer } from '../dist/loader/check-client.js'; // npm run bench builds dist first
import { projectOf } from '../dist/cache/project.js';

/** KiB resident in a process and its descendants (Linux /proc), leaving out type-check servers; 0 where /proc is not there. */
function treeRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('check-server')) return 0;
    let kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      for (const c of children === '' ? [] : children.split(' ')) kb += treeRss(Number(c));
    }
    return kb;
  } catch {
    return 0;
  }
}

/** Waits (at most 60 s) until the rules folder's type-check server says it has warmed up. */
async function serverWarm(rulesDir, stateDir) {
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    if ((await checkServerStatus(rulesDir, stateDir))?.warm === true) return;
  }
}

const here = new URL('..', import.meta.url).pathname;
const { loadRules } = await import(`${here}dist/loader/load.js`);
const { compileRules } = await import(`${here}dist/compile.js`);
const { backends } = await import(`${here}dist/backends/registry.js`);
const { evaluate } = await import(`${here}dist/eval/evaluate.js`);
const { normalize } = await import(`${here}dist/ir/normalize.js`);

const rows = [];
const row = (what, value, peer = '') => rows.push([what, value, peer]);
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

function time(fn, minMs = 1000) {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    n++;
    sampleRss();
  }
  return (performance.now() - start) / n;
}

let t = performance.now();
const checked = await loadRules(`${here}rules`);
row('load rules/ with type check (ms)', (performance.now() - t).toFixed(0));
t = performance.now();
const { rules } = await loadRules(`${here}rules`, { typecheck: false });
row('load rules/ without type check (ms)', (performance.now() - t).toFixed(0));
if (checked.rules.length !== rules.length) throw new Error('rules failed to load');

const perCompile = time(() => compileRules(rules, backends));
row(`compile ${rules.length} rule(s) x ${backends.length} targets (ms)`, perCompile.toFixed(2));
for (const b of backends) {
  const ms = time(() => compileRules(rules, [b]), 300);
  row(`  ${b.name} (ms per rule)`, (ms / rules.length).toFixed(3), b.name === 'spl' || b.name === 'sigma' ? 'see pySigma below' : '');
}

const rule = rules[0];
const query = normalize(rule.query);
const events = readFileSync(`${here}test/fixtures/reference-rule-edge-cases.ndjson`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l).event);
const perEvent = time(() => events.forEach((e) => evaluate(query, e))) / events.length;
row('evaluate reference rule (events/s)', Math.round(1000 / perEvent).toLocaleString('en-US'));

// The peer: pySigma converting our Sigma output of the same rule.
const python = `${here}.venv/pysigma/bin/python`;
const sigmaFile = `${here}snapshots/${rule.id}/sigma.yml`;
const peerScript = `${here}scripts/pysigma/bench.py`;
if (existsSync(python) && existsSync(sigmaFile) && existsSync(peerScript)) {
  const r = spawnSync(python, [peerScript, sigmaFile], { encoding: 'utf8' });
  if (r.status === 0) {
    for (const line of r.stdout.trim().split('\n')) {
      const [what, value] = line.split('\t');
      row(`pySigma: ${what}`, '', value);
    }
  } else {
    row('pySigma', '', `failed: ${r.stderr.trim().split('\n').pop()}`);
  }
} else {
  row('pySigma', '', 'not installed (bash scripts/pysigma/setup.sh) or no Sigma snapshot');
}
sampleRss();
row('peak RSS (MiB)', (peakRss / 2 ** 20).toFixed(0));

const printTable = (header, body) => {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  console.log(fmt(header));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  body.forEach((r) => console.log(fmt(r)));
};

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), ['figure', 'siemc', 'peer'][i].length));
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(['figure', 'siemc', 'peer']));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));

// Scaling: generated rule sets that vary (fields, operators, list sizes, shared list modules,
// separate test-event modules, investigation guides; 50 test events each), built by the real
// CLI in a child process, as a user's repository would (node_modules/siemc links here).
// SIEMC_BENCH_SIZES=1,100 picks sizes; SIEMC_BENCH_SCALING=0 skips the section.
if (process.env.SIEMC_BENCH_SCALING !== '0') {
  const sizes = (process.env.SIEMC_BENCH_SIZES ?? '1,100,1000,3000').split(',').map(Number);
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const root = mkdtempSync(join(tmpdir(), 'siemc-bench-'));
  // The type-check server (src/loader/check-server.ts) is on, as on an author's machine, except
  // for the rebuild measured without it (as under CI, or the first build after it idled out).
  const cli = (dir, server = 'on') =>
    new Promise((resolvePromise, reject) => {
      const rssFile = join(root, 'rss');
      const args = [`${here}dist/cli/main.js`, 'build', '--rules', 'rules', '--out', 'out'];
      const env = { ...process.env, SIEMC_CHECK_SERVER: server };
      const start = performance.now();
      const child = timeBin === undefined
        ? spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(timeBin, ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20000)));
      // The build's processes together (node and esbuild's service; not the type-check server,
      // measured on its own), sampled every 100 ms: %M counts node alone.
      let treePeak = 0;
      const sampler = setInterval(() => (treePeak = Math.max(treePeak, treeRss(child.pid))), 100);
      child.on('error', reject);
      child.on('close', (status) => {
        clearInterval(sampler);
        const ms = performance.now() - start;
        if (status !== 0) return reject(new Error(`siemc build failed in ${dir}:\n${stderr.split('\n').slice(-5).join('\n')}`));
        const [kb, user, sys] = timeBin === undefined ? [NaN, NaN, NaN] : readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        resolvePromise({ ms, rss: kb / 1024, cpu: user + sys, tree: treePeak / 1024 });
      });
    });
  const scaling = [];
  const perRule = {};
  for (const n of sizes) {
    const dir = join(root, `rules-${n}`);
    const { lists } = generateProject(dir, n, here);
    const rulesDir = join(dir, 'rules');
    const stateDir = projectOf(rulesDir).rulesCacheDir;
    const cold = await cli(dir);
    // The cold build started the server; it warms up once that build has exited. Measured
    // after it has, as an author's next build comes seconds later, so it never shares a core.
    await serverWarm(rulesDir, stateDir);
    const noop = await cli(dir);
    writeRule(dir, Math.floor(n / 2), lists, 1); // one rule changed: other values, same tests' verdicts
    const alone = await cli(dir, 'off');
    writeRule(dir, Math.floor(n / 2), lists, 2);
    const one = await cli(dir);
    const server = await checkServerStatus(rulesDir, stateDir);
    await stopCheckServer(rulesDir, stateDir);
    perRule[n] = { wall: cold.ms / n, cpu: (cold.cpu * 1000) / n };
    const t = (r) => `${(r.ms / 1000).toFixed(2)} / ${r.cpu.toFixed(2)}`;
    const served = server === undefined ? 'none' : `${(server.peakRss / 2 ** 20).toFixed(0)}${server.served === 1 ? '' : ` (${server.served} checks!)`}`;
    scaling.push([n, listCount(n), t(cold), cold.rss.toFixed(0), cold.tree > 0 ? cold.tree.toFixed(0) : 'n/a', t(noop), noop.rss.toFixed(0), t(one), one.rss.toFixed(0), t(alone), alone.rss.toFixed(0), served, (cold.ms / n).toFixed(1), (cold.cpu * 1000 / n).toFixed(1)]);
    // Kept until every size is measured: on ext4, creating files soon after thousands were
    // deleted costs seconds of kernel time (the inode allocator skips recently freed inodes),
    // which the next size's build would pay for this bench's own clean-up.
  }
  console.log('\nScaling: siemc build (type check, load, test, compile to 5 targets, write) in a child process; times are wall / CPU (user+sys) seconds');
  printTable(['rules', 'lists', 'cold (s)', 'cold RSS (MiB)', 'with esbuild', 'no-op (s)', 'no-op RSS', 'one changed (s)', 'one RSS', 'one, no server (s)', 'its RSS', 'server RSS', 'cold wall ms/rule', 'cold CPU ms/rule'], scaling);
  console.log('one changed: checked by the type-check server the cold build started; "no server": SIEMC_CHECK_SERVER=off, checked in the build\'s own worker thread (as under CI). Server RSS: its peak, a process of its own. RSS: node\'s peak (/usr/bin/time); with esbuild: the peak of node and esbuild\'s service together, sampled every 100 ms.');
  if (perRule[100] !== undefined && perRule[3000] !== undefined)
    console.log(`cost per rule at 3,000 / at 100: ${(perRule[3000].wall / perRule[100].wall).toFixed(2)}x wall, ${(perRule[3000].cpu / perRule[100].cpu).toFixed(2)}x CPU (target <= 1.5x)`);
  rmSync(root, { recursive: true, force: true });
}

// The DSL's type-checking budget: what an editor pays for a fixed set of rules (the generated
// 100, test events as written, nothing blanked), so the ECS field table (2,600 fields) never
// makes checking a rule slow. Figures per rule, against the budget.
if (process.env.SIEMC_BENCH_TYPES !== '0') {
  const ts = (await import('typescript')).default;
  const root = mkdtempSync(join(tmpdir(), 'siemc-types-'));
  const n = 100;
  generateProject(root, n, here);
  const files = [];
  for (let i = 0; i < n; i++) for (const f of ['rule.ts', 'test-events.ts']) if (existsSync(join(ruleDir(root, i), f))) files.push(join(ruleDir(root, i), f));
  const options = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };
  const row = (what, program, filesChecked) => {
    const start = performance.now();
    const errors = filesChecked.flatMap((f) => program.getSemanticDiagnostics(program.getSourceFile(f)));
    const ms = performance.now() - start;
    if (errors.length > 0) throw new Error(`type errors in the budget set: ${ts.flattenDiagnosticMessageText(errors[0].messageText, ' ')}`);
    return [what, (ms / n).toFixed(2), (program.getInstantiationCount() / n).toFixed(0), (program.getTypeCount() / n).toFixed(0)];
  };
  const { blankPlainTests } = await import(`${here}dist/loader/test-data.js`);
  const blanked = ts.createCompilerHost(options);
  const read = blanked.getSourceFile.bind(blanked);
  blanked.getSourceFile = (name, version, ...rest) =>
    files.includes(name) ? ts.createSourceFile(name, blankPlainTests(readFileSync(name, 'utf8')), version) : read(name, version, ...rest);
  const budget = ['budget per rule (the DSL)', '5.00', '100', '2000'];
  const editor = row('100 generated rules, 50 test events each, as an editor checks them', ts.createProgram(files, options), files);
  const dsl = row('the same, as siemc build checks them (plain test data blanked)', ts.createProgram({ rootNames: files, options, host: blanked }), files);
  // The budget is the DSL's (its field table, builders, rule spec): the second row. What the
  // first adds is TypeScript checking 50 JSON literals per rule against the events' Json type.
  const within = dsl.slice(1).every((v, i) => Number(v) <= Number(budget[i + 1]));
  const body = [
    [...editor, `the DSL's part + ${(Number(editor[1]) - Number(dsl[1])).toFixed(2)} ms of JSON test events`],
    [...dsl, within ? 'within budget' : 'OVER BUDGET'],
    [...budget, ''],
  ];
  console.log('\nType-checking budget (TypeScript ' + ts.version + '): per rule');
  printTable(['rule set', 'check ms', 'instantiations', 'types', 'against the budget'], body);
  rmSync(root, { recursive: true, force: true });
}

// The whole SigmaHQ corpus, siemc (import + all five targets) against pySigma (one target at a
// time): scripts/bench/sigma-corpus.mjs. SIEMC_BENCH_SIGMA_CORPUS=0 skips the section.
if (process.env.SIEMC_BENCH_SIGMA_CORPUS !== '0') (await import('./bench/sigma-corpus.mjs')).sigmaCorpusBench(here);
