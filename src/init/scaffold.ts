/**
 * The files `siemc init` writes for a team's rules repository. Each is plain text; init writes
 * only those that do not exist yet, so running it twice changes nothing.
 */
export interface ScaffoldOptions {
  /** The package name for package.json (the folder's name). */
  readonly name: string;
  /** The siemc version range to depend on. */
  readonly siemcVersion: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function scaffold(options: ScaffoldOptions): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ['package.json', packageJson(options)],
    ['tsconfig.json', tsconfig()],
    ['siemc.config.json', config()],
    ['rules/lists/suspicious-tools.ts', listModule()],
    ['rules/example/suspicious-tool-download.ts', exampleRule()],
    ['.gitignore', 'node_modules/\n.siemc/\nbuild/\n'],
    ['.github/workflows/siemc.yml', checkWorkflow()],
    ['.github/workflows/siemc-comment.yml', commentWorkflow()],
    ['README.md', readme(options)],
  ]);
}

function packageJson({ name, siemcVersion }: ScaffoldOptions): string {
  return json({
    name,
    private: true,
    type: 'module',
    description: 'Detection rules, compiled by siemc',
    scripts: {
      build: 'siemc build',
      check: 'siemc check',
      test: 'siemc test',
      diff: 'siemc diff',
      package: 'siemc package',
    },
    // @types/node types import.meta.url, which rules use to read files beside them (markdown()).
    devDependencies: { siemc: siemcVersion, typescript: '^5.9.3', '@types/node': '^20.19.0' },
  });
}

function tsconfig(): string {
  return json({
    compilerOptions: {
      target: 'ES2022',
      module: 'ES2022',
      moduleResolution: 'Bundler',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['rules'],
  });
}

function config(): string {
  return json({
    $schema: './node_modules/siemc/schema/siemc.config.schema.json',
    splunk: { sources: { 'logs-endpoint.events.*': { index: 'endpoint', sourcetype: 'elastic:endpoint' } } },
    sigma: { fieldNames: 'ecs' },
  });
}

function listModule(): string {
  return `/**
 * Dual-use tools that attackers download to hosts. A list lives in its own module so that
 * several rules share it; edit it here and every rule that imports it follows.
 */
export const suspiciousTools = ['psexec.exe', 'procdump*.exe', 'rclone.exe', 'ngrok.exe'] as const;
`;
}

function exampleRule(): string {
  return `import { all, defineRule, field, not } from 'siemc';
import { suspiciousTools } from '../lists/suspicious-tools.js';

/** An example to copy: a file created under a user's Downloads folder whose name is a known dual-use tool. */
export const suspiciousToolDownload = defineRule({
  // A UUID of your own (e.g. from \`node -e "console.log(crypto.randomUUID())"\`); it names the output folder.
  id: '5f0c8a59-3c1e-4c36-9d4e-2a7b8e1f6d01',
  name: 'Dual-use Tool Downloaded',
  description: 'A dual-use tool often abused by attackers was written to a Downloads folder.',
  author: ['Your team'],
  license: 'Apache-2.0',
  severity: 'medium',
  riskScore: 47,
  schedule: { interval: '5m', from: 'now-6m' },
  maxSignals: 100,
  index: ['logs-endpoint.events.file-*'],
  tags: ['OS: Windows', 'Use Case: Threat Detection', 'Tactic: Lateral Movement'],
  mitre: [{ tactic: { id: 'TA0008', name: 'Lateral Movement' }, techniques: [{ id: 'T1570', name: 'Lateral Tool Transfer' }] }],
  references: [],
  falsePositives: ['Administrators downloading their own tools.'],
  version: 1,
  query: all(
    field('event.category').equals('file'),
    field('event.type').equals('creation'),
    field('file.path').likeIgnoreCase('?:\\\\Users\\\\*\\\\Downloads\\\\*'),
    field('file.name').likeIgnoreCase([...suspiciousTools]),
    not(field('user.name').in(['svc_deploy'])),
  ),
  // Test events pin the rule's meaning: siemc build fails when the query disagrees with one.
  tests: [
    {
      name: 'rclone downloaded',
      expect: 'match',
      event: { event: { category: 'file', type: 'creation' }, file: { path: 'C:\\\\Users\\\\ann\\\\Downloads\\\\rclone.exe', name: 'RCLONE.exe' }, user: { name: 'ann' } },
    },
    {
      name: 'deployment account',
      expect: 'no match',
      event: { event: { category: 'file', type: 'creation' }, file: { path: 'C:\\\\Users\\\\svc\\\\Downloads\\\\psexec.exe', name: 'psexec.exe' }, user: { name: 'svc_deploy' } },
    },
    {
      name: 'other folder',
      expect: 'no match',
      event: { event: { category: 'file', type: 'creation' }, file: { path: 'C:\\\\Tools\\\\rclone.exe', name: 'rclone.exe' }, user: { name: 'ann' } },
    },
  ],
});
`;
}

/**
 * Loads and runs the rules (a fork's code, in a pull request) with a read-only token and no
 * secrets: \`pull_request\`, never \`pull_request_target\`. The diff is handed over as an artifact.
 */
function checkWorkflow(): string {
  return `# siemc: check that committed outputs are current, run the rules' test events, and (on pull
# requests) write the semantic rule diff. Rules are code: this job runs a pull request's code, so
# it gets a read-only token and no secrets. siemc-comment.yml posts the diff.
name: siemc

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Outputs are current
        run: npx siemc check
      - name: Rule test events
        run: npx siemc test
      - name: Semantic diff against the base branch
        if: github.event_name == 'pull_request'
        env:
          BASE_REF: \${{ github.base_ref }}
          PR_NUMBER: \${{ github.event.pull_request.number }}
        run: |
          mkdir -p siemc-diff
          npx siemc diff --base "origin/$BASE_REF" --format markdown > siemc-diff/comment.md
          echo "$PR_NUMBER" > siemc-diff/pr-number
      - uses: actions/upload-artifact@v4
        if: github.event_name == 'pull_request'
        with:
          name: siemc-diff
          path: siemc-diff/
          retention-days: 5
`;
}

/** Posts the diff as a comment. It runs no code from the pull request: it only reads the artifact's text. */
function commentWorkflow(): string {
  return `# Posts the semantic rule diff written by the siemc workflow as a pull-request comment. It runs
# after that workflow, checks out nothing and runs none of the pull request's code: it only reads
# the artifact's text, so it may hold a token that can write comments.
name: siemc comment

on:
  workflow_run:
    workflows: [siemc]
    types: [completed]

permissions:
  contents: read

jobs:
  comment:
    if: github.event.workflow_run.event == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      actions: read
      pull-requests: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: siemc-diff
          path: siemc-diff
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - name: Post the diff
        env:
          GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          REPO: \${{ github.repository }}
        run: |
          pr=$(head -c 20 siemc-diff/pr-number | tr -cd '0-9')
          if [ -z "$pr" ]; then echo "no pull request number in the artifact"; exit 1; fi
          head -c 65000 siemc-diff/comment.md > body.md
          gh pr comment "$pr" --repo "$REPO" --body-file body.md
`;
}

function readme({ name }: ScaffoldOptions): string {
  return `# ${name}

Detection rules written in TypeScript and compiled by [siemc](https://www.npmjs.com/package/siemc) into
Elasticsearch Query DSL, EQL, KQL, Splunk SPL and Sigma. The outputs under \`snapshots/\` are committed, so a
pull request shows what every SIEM's search becomes.

## Commands

\`\`\`sh
npm ci && npm run build    # compile rules/ into snapshots/<rule-id>/<target file>
npm ci && npm test         # run every rule's test events
\`\`\`

| command | what it does |
|---|---|
| \`npx siemc build\` | type-check, run and compile every rule; write \`snapshots/\` |
| \`npx siemc check\` | exit 1 when \`snapshots/\` is not what build would write |
| \`npx siemc test\` | check every rule's test events with the reference evaluator |
| \`npx siemc diff\` | what the rule changes since the default branch do to detection |
| \`npx siemc package\` | publishable files for Kibana, Splunk and Sigma |

## Writing a rule

Copy \`rules/example/suspicious-tool-download.ts\`, give it a new UUID, and describe its events in \`tests\`.
Shared values live in \`rules/lists/\`. Field names come from ECS and are checked as you type.

## Pull requests

\`.github/workflows/siemc.yml\` checks every pull request (with a read-only token: rules are code) and
\`.github/workflows/siemc-comment.yml\` posts the semantic diff as a comment.
`;
}
