/**
 * Legitimate Windows programs that talk to web services from their expected locations, and
 * code-signing subjects trusted to do so. Shared by every rule that excludes known-good
 * browsers, sync clients and developer tools. Globs: `*` any run, `?` one character; the
 * backslash is literal.
 */
export const trustedProgramPaths = [
  '?:\\Program Files\\*.exe',
  '?:\\Program Files (x86)\\*.exe',
  '?:\\Windows\\System32\\WWAHost.exe',
  '?:\\Windows\\System32\\smartscreen.exe',
  '?:\\Windows\\System32\\MicrosoftEdgeCP.exe',
  '?:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\*\\MsMpEng.exe',
  '?:\\Users\\*\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
  '?:\\Users\\*\\AppData\\Local\\BraveSoftware\\*\\Application\\brave.exe',
  '?:\\Users\\*\\AppData\\Local\\Vivaldi\\Application\\vivaldi.exe',
  '?:\\Users\\*\\AppData\\Local\\Programs\\Opera*\\opera.exe',
  '?:\\Users\\*\\AppData\\Local\\Programs\\Fiddler\\Fiddler.exe',
  '?:\\Users\\*\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
  '?:\\Users\\*\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe',
  '?:\\Windows\\system32\\mobsync.exe',
  '?:\\Windows\\SysWOW64\\mobsync.exe',
] as const;

/** Code-signing subjects whose trusted binaries may reach any web service. */
export const trustedSigners = [
  'Johannes Schindelin',
  'Redis Inc.',
  'Slack Technologies, LLC',
  'Cisco Systems, Inc.',
  'Dropbox, Inc',
  'Amazon.com Services LLC',
] as const;

/** Windows well-known SIDs of LocalSystem, LocalService and NetworkService. */
export const windowsServiceAccountSids = ['S-1-5-18', 'S-1-5-19', 'S-1-5-20'] as const;
