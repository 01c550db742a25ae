// `npm run bench`: figures for siemc's compile pipeline, with pySigma (the reference Sigma
// toolchain) converting the same rule side by side in the same run. Prints a table; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

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

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), ['figure', 'siemc', 'peer'][i].length));
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(['figure', 'siemc', 'peer']));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));
