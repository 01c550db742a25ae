/** docs/targets.md, generated from the backends' capability tables. */
import type { Backend } from '../backends/backend.js';
import { CONSTRUCTS, type Construct, type Support } from '../backends/capabilities.js';

function cell(s: Support): string {
  const text = s.how.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  switch (s.level) {
    case 'exact':
      return `exact: ${text}`;
    case 'approximate':
      return `**approximate** (${s.direction}, ${s.code}): ${text}`;
    case 'unsupported':
      return `**unsupported** (${s.code}): ${text}`;
  }
}

export function renderTargetsDoc(backends: readonly Backend[]): string {
  const constructs = Object.keys(CONSTRUCTS) as Construct[];
  const out: string[] = [
    '# Targets: what each backend renders exactly, and what it approximates',
    '',
    'Generated from the capability tables in `src/backends/*/` by `siemc docs`; a test fails when it is stale.',
    'An approximation is reported for every rule clause it touches, as a warning with its code, the clause and',
    'the direction (widened: more events match; narrowed: fewer). The direction in the table is the local one;',
    'under a `not` the diagnostic flips it. `siemc build --strict` makes approximations errors.',
    'Meanings are those of `docs/semantics.md`.',
    '',
  ];
  for (const b of backends) {
    out.push(`## ${b.title} (\`${b.name}\`, \`${b.fileName}\`)`, '', '| construct | how |', '|---|---|');
    for (const c of constructs) out.push(`| ${CONSTRUCTS[c]} | ${cell(b.capabilities[c])} |`);
    out.push('');
  }
  return out.join('\n');
}
