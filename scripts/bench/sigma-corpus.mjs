// `npm run bench`, the corpus section (issue 11): siemc importing the whole SigmaHQ corpus and
// compiling it to all five targets (`siemc import sigma RULES --out DIR`, the real CLI in a child
// process), against pySigma loading the same files and converting them to Splunk, Lucene and EQL
// (scripts/pysigma/bench_corpus.py, one child process per target). Every tool runs as a child
// under /usr/bin/time, so wall time, CPU time and peak RSS are measured the same way for both.
// The goal: the whole corpus to all five targets in less time than pySigma takes for one.
// The corpus is SIEMC_CORPORA/sigmahq (default ../shared/corpora beside the repository).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Runs a command under /usr/bin/time: wall and CPU seconds, peak RSS in MiB, stdout and stderr. */
function measured(command, args, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'siemc-corpus-time-'));
  const file = join(dir, 'time');
  const timed = existsSync('/usr/bin/time');
  const start = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', file, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const wall = (performance.now() - start) / 1000;
  const [kb, user, sys] = timed && existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wall, cpu: user + sys, rss: kb / 1024 };
}

const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function printTable(header, body) {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  console.log(fmt(header));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  body.forEach((r) => console.log(fmt(r)));
}

export function sigmaCorpusBench(here) {
  const corpus = resolve(process.env.SIEMC_CORPORA ?? `${here}../shared/corpora`, 'sigmahq', 'rules');
  console.log('\nSigmaHQ corpus: siemc import + compile to all five targets, against pySigma per target');
  if (!existsSync(corpus)) {
    console.log(`skipped: no corpus at ${corpus} (set SIEMC_CORPORA)`);
    return;
  }
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadBefore = load();
  // Two siemc runs: in memory (import, compile to five targets, coverage summary), which is the
  // work pySigma's run does, and the same with every output written through the owned writer
  // (15,675 files in 3,135 folders), which is what a user's `--out` costs on top.
  const run = (extra) => {
    const r = measured(process.execPath, [`${here}dist/cli/main.js`, 'import', 'sigma', corpus, ...extra], { cwd: here });
    if (r.status !== 0) throw new Error(`siemc import failed:\n${r.stderr.split('\n').slice(-5).join('\n')}`);
    return r;
  };
  const siemc = run([]);
  const out = mkdtempSync(join(tmpdir(), 'siemc-corpus-out-'));
  const written = run(['--out', out]);
  rmSync(out, { recursive: true, force: true });
  const summary = /(\d+) file\(s\) read, (\d+) rule\(s\) imported/.exec(siemc.stderr);
  const imported = Number(summary?.[2] ?? NaN);
  const row = (work, r) => ['siemc', work, fixed(r.wall), fixed(r.cpu), String(imported), fixed(imported / r.wall, 0), fixed(r.rss, 0), ''];
  const rows = [row('import + 5 targets', siemc), row('import + 5 targets, write', written)];

  const python = `${here}.venv/pysigma/bin/python`;
  const peers = [];
  if (!existsSync(python)) {
    console.log('pySigma: not installed (bash scripts/pysigma/setup.sh)');
  } else {
    for (const target of ['splunk', 'lucene', 'eql']) {
      const r = measured(python, [`${here}scripts/pysigma/bench_corpus.py`, corpus, target], { cwd: here });
      if (r.status !== 0) {
        rows.push([`pySigma ${target}`, 'failed', '', '', '', '', '', r.stderr.trim().split('\n').pop() ?? '']);
        continue;
      }
      const j = JSON.parse(r.stdout.trim().split('\n').pop());
      peers.push({ target, ...r, j });
      rows.push([
        `pySigma ${target}`,
        'load + convert',
        fixed(r.wall),
        fixed(r.cpu),
        String(j.queries),
        fixed(j.rules / r.wall, 0),
        fixed(r.rss, 0),
        `load ${fixed(j.load_s)} s, convert ${fixed(j.convert_s)} s, ${j.failed} failed`,
      ]);
    }
  }
  printTable(['tool', 'work', 'wall s', 'CPU s', 'rules', 'rules/s', 'peak RSS MiB', 'notes'], rows);
  for (const p of peers) {
    console.log(
      `ratio pySigma ${p.target} (one target) / siemc (five targets, in memory): ${fixed(p.wall / siemc.wall, 2)}x wall, ${fixed(p.cpu / siemc.cpu, 2)}x CPU, ` +
        `${fixed(p.rss / siemc.rss, 2)}x peak RSS`,
    );
  }
  if (peers.length > 0) {
    const fastest = Math.min(...peers.map((p) => p.wall));
    console.log(`goal (all five targets faster than pySigma's fastest single target): ${siemc.wall < fastest ? 'met' : 'NOT met'} (${fixed(siemc.wall)} s against ${fixed(fastest)} s)`);
    console.log(`with every output written as well: ${fixed(written.wall)} s (${written.wall < fastest ? 'still faster' : 'slower'} than pySigma's fastest single target, which writes nothing)`);
  }
  console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
}
