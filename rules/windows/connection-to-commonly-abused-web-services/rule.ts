import { all, any, defineRule, field, markdown, not } from 'siemc';
import { abusedWebServiceDomains } from '../../lists/abused-web-services.js';
import { trustedProgramPaths, trustedSigners, windowsServiceAccountSids } from '../../lists/windows-trusted-programs.js';
import { tests } from './test-events.js';

const dnsName = field('dns.question.name');
const processName = field('process.name');
const signer = field('process.code_signature.subject_name');
const trusted = field('process.code_signature.trusted').isTrue();

/** A trusted, signed app querying its own domains (all domains when none are given). */
function signedApp(label: string, name: string, subject: string, domains?: readonly string[]) {
  const clauses = [processName.likeIgnoreCase(name), all(signer.likeIgnoreCase(subject), trusted)];
  if (domains !== undefined) clauses.push(dnsName.likeIgnoreCase(domains));
  return all(...clauses).as(label);
}

export const connectionToCommonlyAbusedWebServices = defineRule({
  id: '66883649-f908-4a5b-a1e0-54090a1d3a32',
  name: 'Connection to Commonly Abused Web Services',
  description:
    'Adversaries may implement command and control (C2) communications that use common web services to hide their ' +
    'activity. This attack technique is typically targeted at an organization and uses web services common to the ' +
    "victim network, which allows the adversary to blend into legitimate traffic activity. These popular services are " +
    'typically targeted since they have most likely been used before compromise, which helps malicious traffic blend in.',
  author: ['Elastic'],
  license: 'Elastic License v2',
  severity: 'low',
  riskScore: 21,
  schedule: { interval: '5m', from: 'now-9m' },
  maxSignals: 100,
  index: ['logs-endpoint.events.network-*'],
  tags: [
    'Domain: Endpoint',
    'OS: Windows',
    'Use Case: Threat Detection',
    'Tactic: Command and Control',
    'Resources: Investigation Guide',
    'Data Source: Elastic Defend',
  ],
  mitre: [
    {
      tactic: { id: 'TA0011', name: 'Command and Control' },
      techniques: [
        { id: 'T1102', name: 'Web Service' },
        { id: 'T1568', name: 'Dynamic Resolution', subtechniques: [{ id: 'T1568.002', name: 'Domain Generation Algorithms' }] },
      ],
    },
    {
      tactic: { id: 'TA0010', name: 'Exfiltration' },
      techniques: [
        {
          id: 'T1567',
          name: 'Exfiltration Over Web Service',
          subtechniques: [
            { id: 'T1567.001', name: 'Exfiltration to Code Repository' },
            { id: 'T1567.002', name: 'Exfiltration to Cloud Storage' },
          ],
        },
      ],
    },
  ],
  references: [],
  falsePositives: [
    'This rule is prone to false positives as it detects communication with legitimate services. Noisy false positives can be added as exceptions.',
  ],
  note: markdown(import.meta.url, './investigation-guide.md'),
  version: 113,
  // An Elastic prebuilt rule in production.
  status: 'stable',
  // Elastic's creation date; the date of version 113 itself is not published with it.
  created: '2020-11-04',
  query: all(
    field('event.category').equals('network'),
    field('host.os.type').equals('windows'),
    field('network.protocol').equals('dns'),
    processName.exists(),
    not(field('user.id').in(windowsServiceAccountSids)),
    dnsName.likeIgnoreCase(abusedWebServiceDomains).as('Add new WebSvc domains here'),
    not(
      any(
        field('process.executable').likeIgnoreCase(trustedProgramPaths),
        signedApp('Discord App', 'Discord.exe', 'Discord Inc.', ['discord.com', 'cdn.discordapp.com', 'discordapp.com']),
        signedApp('MS Sharepoint', 'Microsoft.SharePoint.exe', 'Microsoft Corporation', ['onedrive.live.com']),
        signedApp('Firefox', 'firefox.exe', 'Mozilla Corporation'),
        signedApp('Dropbox', 'Dropbox.exe', 'Dropbox, Inc', ['api.dropboxapi.com', '*.dropboxusercontent.com']),
        signedApp('Obsidian - Plugins are stored on raw.githubusercontent.com', 'Obsidian.exe', 'Dynalist Inc', [
          'raw.githubusercontent.com',
        ]),
        signedApp('WebExperienceHostApp', 'WebExperienceHostApp.exe', 'Microsoft Windows', [
          'onedrive.live.com',
          'skyapi.onedrive.live.com',
        ]),
        all(
          signer.likeIgnoreCase('Microsoft *'),
          trusted,
          dnsName.likeIgnoreCase(['*.sharepoint.com', 'graph.microsoft.com', 'g.live.com', 'login.live.com', 'login.live.com']),
        ).as('Microsoft signed binaries'),
        all(trusted, signer.likeIgnoreCase(trustedSigners)).as('Trusted signers'),
      ),
    ).as('Insert noisy false positives here'),
  ),
  tests,
});
