/**
 * Events that pin the rule's meaning, each with the verdict Elasticsearch's EQL gives the
 * original query. `dnsEvent` is a suspicious lookup; each test changes what it is about.
 */
import type { RuleTest } from 'siemc';

type Event = { [key: string]: unknown };

function dnsEvent(overrides: {
  domain?: string | null;
  executable?: string | null;
  name?: string | null;
  user?: string | null;
  signer?: string;
  trusted?: boolean | string;
  os?: string;
  protocol?: string;
  category?: string | string[];
}): Event {
  const o = {
    domain: 'pastebin.com',
    executable: 'C:\\Users\\bob\\AppData\\Roaming\\evil.exe',
    name: 'evil.exe',
    user: 'S-1-5-21-1004336348-1177238915-682003330-1001',
    os: 'windows',
    protocol: 'dns',
    category: ['network'],
    ...overrides,
  };
  const process: Event = {};
  if (o.executable !== null) process.executable = o.executable;
  if (o.name !== null) process.name = o.name;
  if (o.signer !== undefined || o.trusted !== undefined) {
    process.code_signature = {
      ...(o.signer === undefined ? {} : { subject_name: o.signer }),
      ...(o.trusted === undefined ? {} : { trusted: o.trusted }),
    };
  }
  return {
    event: { category: o.category },
    host: { os: { type: o.os } },
    network: { protocol: o.protocol },
    ...(o.domain === null ? {} : { dns: { question: { name: o.domain } } }),
    ...(o.user === null ? {} : { user: { id: o.user } }),
    process,
  };
}

const match = (name: string, event: Event): RuleTest => ({ name, expect: 'match', event: event as RuleTest['event'] });
const noMatch = (name: string, event: Event): RuleTest => ({ name, expect: 'no match', event: event as RuleTest['event'] });

export const tests: readonly RuleTest[] = [
  match('pastebin lookup by an unknown process', dnsEvent({})),
  match('domain match ignores case', dnsEvent({ domain: 'PasteBin.COM' })),
  match('`pastebin.*` spans dots', dnsEvent({ domain: 'pastebin.com.evil.net' })),
  noMatch('`pastebin.*` needs the dot', dnsEvent({ domain: 'pastebincom' })),
  noMatch('a domain list entry is not a substring', dnsEvent({ domain: 'evil-pastebin.com' })),
  match('`?.docs.live.net` with one character', dnsEvent({ domain: 'd.docs.live.net' })),
  noMatch('`?.docs.live.net` with two characters', dnsEvent({ domain: 'dd.docs.live.net' })),
  noMatch('`?.docs.live.net` with none', dnsEvent({ domain: '.docs.live.net' })),
  match('`*.ngrok.io` subdomain', dnsEvent({ domain: 'abc123.ngrok.io' })),
  noMatch('`*.ngrok.io` needs a subdomain', dnsEvent({ domain: 'ngrok.io' })),
  match('`*up.freeo*.space` two wildcards', dnsEvent({ domain: 'x.up.freeo123.space' })),
  match('exact domain in the list', dnsEvent({ domain: 'api.telegram.org' })),
  noMatch('domain not in the list', dnsEvent({ domain: 'example.com' })),
  noMatch('missing dns.question.name', dnsEvent({ domain: null })),
  noMatch('LocalSystem is excluded', dnsEvent({ user: 'S-1-5-18' })),
  noMatch('NetworkService is excluded', dnsEvent({ user: 'S-1-5-20' })),
  match('`not in` is case-sensitive: s-1-5-18', dnsEvent({ user: 's-1-5-18' })),
  match('missing user.id passes the user filter', dnsEvent({ user: null })),
  noMatch('missing process.name', dnsEvent({ name: null })),
  match('empty process.name counts as present', dnsEvent({ name: '' })),
  noMatch('non-Windows host', dnsEvent({ os: 'linux' })),
  noMatch('`==` is case-sensitive: Windows', dnsEvent({ os: 'Windows' })),
  noMatch('`==` is case-sensitive: DNS', dnsEvent({ protocol: 'DNS' })),
  noMatch('not a network event', dnsEvent({ category: 'process' })),
  match('event.category as a plain string', dnsEvent({ category: 'network' })),
  noMatch('excluded: Program Files', dnsEvent({ executable: 'C:\\Program Files\\Foo\\foo.exe' })),
  noMatch('excluded: Program Files, lower case, other drive', dnsEvent({ executable: 'd:\\program files\\foo.EXE' })),
  noMatch('excluded: Program Files (x86)', dnsEvent({ executable: 'C:\\Program Files (x86)\\App\\app.exe' })),
  match('Program Files but not an .exe', dnsEvent({ executable: 'C:\\Program Files\\Foo\\foo.dll' })),
  match('`?:` is one drive letter', dnsEvent({ executable: 'CC:\\Program Files\\Foo\\foo.exe' })),
  noMatch('excluded: Chrome under a user profile', dnsEvent({ executable: 'C:\\Users\\bob\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe' })),
  noMatch('excluded: Defender platform', dnsEvent({ executable: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2\\MsMpEng.exe' })),
  match('missing executable is not excluded', dnsEvent({ executable: null })),
  noMatch('excluded: Discord signed and trusted', dnsEvent({ domain: 'cdn.discordapp.com', name: 'Discord.exe', signer: 'Discord Inc.', trusted: true })),
  match('Discord untrusted', dnsEvent({ domain: 'cdn.discordapp.com', name: 'Discord.exe', signer: 'Discord Inc.', trusted: false })),
  match('Discord signed but another domain', dnsEvent({ domain: 'pastebin.com', name: 'Discord.exe', signer: 'Discord Inc.', trusted: true })),
  noMatch('excluded: Firefox, any domain, signer case ignored', dnsEvent({ domain: 'pastebin.com', name: 'FIREFOX.EXE', signer: 'mozilla corporation', trusted: true })),
  match('Firefox without trust flag', dnsEvent({ domain: 'pastebin.com', name: 'firefox.exe', signer: 'Mozilla Corporation' })),
  noMatch('excluded: Dropbox on its API', dnsEvent({ domain: 'api.dropboxapi.com', name: 'Dropbox.exe', signer: 'Dropbox, Inc', trusted: true })),
  noMatch('excluded: Obsidian plugins', dnsEvent({ domain: 'raw.githubusercontent.com', name: 'Obsidian.exe', signer: 'Dynalist Inc', trusted: true })),
  match('Obsidian elsewhere on GitHub', dnsEvent({ domain: 'raw.githubusercontent.net', name: 'Obsidian.exe', signer: 'Dynalist Inc', trusted: true })),
  noMatch('excluded: SharePoint client', dnsEvent({ domain: 'onedrive.live.com', name: 'Microsoft.SharePoint.exe', signer: 'Microsoft Corporation', trusted: true })),
  noMatch('excluded: WebExperienceHostApp', dnsEvent({ domain: 'onedrive.live.com', name: 'WebExperienceHostApp.exe', signer: 'Microsoft Windows', trusted: true })),
  noMatch('excluded: Microsoft-signed binary on Graph', dnsEvent({ domain: 'graph.microsoft.com', name: 'Teams.exe', signer: 'Microsoft Corporation', trusted: true })),
  match('`Microsoft *` needs the space', dnsEvent({ domain: 'graph.microsoft.com', name: 'x.exe', signer: 'MicrosoftCorp', trusted: true })),
  noMatch('excluded: trusted signer list', dnsEvent({ domain: 'slack.com', name: 'slack.exe', signer: 'Slack Technologies, LLC', trusted: true })),
  noMatch('trusted flag given as the string "true"', dnsEvent({ domain: 'slack.com', name: 'git.exe', signer: 'Johannes Schindelin', trusted: 'true' })),
  match('trusted signer untrusted', dnsEvent({ domain: 'slack.com', name: 'git.exe', signer: 'Johannes Schindelin', trusted: false })),
  match('adversarial: quotes and backslashes in the path', dnsEvent({ executable: 'C:\\Temp\\"x"\\*\\a?.exe' })),
  match('dotted keys address the same fields', {
    'event.category': 'network',
    'host.os.type': 'windows',
    'network.protocol': 'dns',
    'process.name': 'evil.exe',
    'dns.question.name': 'transfer.sh',
  }),
];
