/**
 * How Splunk reads a .conf file: `[stanza]` headers, `key = value` lines, `#` comments, and a
 * value continued on the next line when its line ends with a backslash (the line break stays
 * in the value, the backslash does not).
 */
export type ConfFile = Map<string, Map<string, string>>;

export function parseConf(text: string): ConfFile {
  const out: ConfFile = new Map();
  let stanza = new Map<string, string>();
  out.set('default', stanza);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    const header = /^\[(.*)\]\s*$/.exec(line);
    if (header !== null) {
      const name = header[1] ?? '';
      if (out.has(name) && name !== 'default') throw new Error(`stanza [${name}] twice`);
      stanza = new Map();
      out.set(name, stanza);
      continue;
    }
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)}\n${lines[++i] ?? ''}`;
    const m = /^([^=]+?)\s*=\s?(.*)$/s.exec(line);
    if (m === null) throw new Error(`not a key = value line: ${line}`);
    const key = m[1] ?? '';
    if (stanza.has(key)) throw new Error(`key ${key} twice`);
    stanza.set(key, m[2] ?? '');
  }
  return out;
}
