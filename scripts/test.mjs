// The README's test command (`npm test`): makes sure a real Elasticsearch is reachable for the
// live tests, runs vitest, and stops the node if it started it.
//  - ES_URL set: use that cluster.   - A node answers on 127.0.0.1:9200: use it.
//  - Else, with Java and Maven present: scripts/es/start.sh, and stop.sh afterwards.
//  - Else: outside CI, one line and the live tests skip; in CI (CI=true) the live tests fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const here = new URL('..', import.meta.url).pathname;
const inCi = process.env.CI === 'true';

async function reachable(url) {
  try {
    const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function javaFor(es) {
  return existsSync('/usr/lib/jvm/temurin-25-jdk-amd64/bin/java') || process.env.SIEMC_ES_JAVA_HOME !== undefined || (has('java') && es);
}

let started = false;
const env = { ...process.env };
if (env.ES_URL === undefined) {
  const local = `http://127.0.0.1:${env.SIEMC_ES_PORT ?? '9200'}`;
  if (await reachable(local)) {
    env.ES_URL = local;
  } else if (has('mvn') && javaFor(true)) {
    const r = spawnSync('bash', [`${here}scripts/es/start.sh`], { stdio: 'inherit', env });
    if (r.status === 0) {
      started = true;
      env.ES_URL = local;
    } else if (inCi) {
      console.error('npm test: Elasticsearch did not start; the live tests will fail (CI=true).');
    } else {
      console.error('npm test: Elasticsearch did not start; live tests skipped.');
    }
  } else {
    console.error(`npm test: no Java 21+ or Maven here, so no Elasticsearch; live tests ${inCi ? 'will fail (CI=true)' : 'skipped'}.`);
  }
}

// Types first: a rule or test that does not type-check must not pass by running.
const tsc = spawnSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '-p', `${here}tsconfig.json`], { stdio: 'inherit', cwd: here });
if (tsc.status !== 0) {
  console.error('npm test: type check failed.');
  if (started) spawnSync('bash', [`${here}scripts/es/stop.sh`], { stdio: 'inherit', env });
  process.exit(1);
}

const report = `${here}.cache/vitest-report.json`;
mkdirSync(`${here}.cache`, { recursive: true });
rmSync(report, { force: true });
const vitest = spawnSync(
  process.execPath,
  [`${here}node_modules/vitest/vitest.mjs`, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env, cwd: here },
);
if (started) spawnSync('bash', [`${here}scripts/es/stop.sh`], { stdio: 'inherit', env });

// One plain closing line that any CI log reader understands. A test file that fails to load
// (a syntax error, a throwing import) has no tests to count, so it counts as one failure itself.
let status = vitest.status ?? 1;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const unloaded = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'));
  for (const f of unloaded) console.log(`npm test: ${f.name.replace(here, '')} failed to load: ${(f.message ?? '').split('\n')[0]}`);
  if (unloaded.length > 0) status = status || 1;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests + unloaded.length} failed, ${skipped} skipped`);
} else {
  console.log('vitest: 0 passed, 1 failed, 0 skipped (vitest wrote no report)');
  status = status || 1;
}
process.exit(status);
