/** IPv4 and IPv6 addresses as 128-bit numbers (IPv4 mapped into ::ffff:0:0/96, as Elasticsearch stores them). */

function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0n;
  for (const octet of m.slice(1)) {
    const v = Number(octet);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tailV4 = parseIpv4(v4[2] as string);
    if (tailV4 === undefined) return undefined;
    head = `${v4[1] as string}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

/** Parses an address into its 128-bit form, or undefined. */
export function parseIp(text: string): bigint | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return 0xffff00000000n | v4;
  return text.includes(':') ? parseIpv6(text) : undefined;
}

export function parseCidr(text: string): { readonly base: bigint; readonly bits: number } | undefined {
  const [addr, len, extra] = text.split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const isV4 = parseIpv4(addr) !== undefined;
  const base = parseIp(addr);
  if (base === undefined) return undefined;
  const max = isV4 ? 32 : 128;
  const prefix = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { base, bits: isV4 ? prefix + 96 : prefix };
}

export function cidrContains(cidrText: string, ipText: string): boolean {
  const net = parseCidr(cidrText);
  const ip = parseIp(ipText);
  if (net === undefined || ip === undefined) return false;
  const shift = BigInt(128 - net.bits);
  return ip >> shift === net.base >> shift;
}
