/**
 * A gzip'd ustar archive, byte for byte the same for the same files: entries sorted by path,
 * folders before their contents, one fixed modification time, owner root (uid/gid 0, no names),
 * modes 0755 and 0644, and a gzip header without a time or an operating system.
 */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, kind: 'file' | 'folder', mtime: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const put = (offset: number, text: string): void => {
    block.set(Buffer.from(text, 'utf8'), offset);
  };
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long path at a slash: up to 155 bytes of prefix, up to 100 of name.
    let at = path.indexOf('/');
    while (at !== -1 && Buffer.byteLength(path.slice(at + 1)) > 100) at = path.indexOf('/', at + 1);
    if (at === -1 || Buffer.byteLength(path.slice(0, at)) > 155) throw new Error(`archive path too long for ustar: ${path}`);
    prefix = path.slice(0, at);
    name = path.slice(at + 1);
  }
  put(0, name);
  put(100, octal(kind === 'folder' ? 0o755 : 0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(mtime, 12));
  put(148, '        ');
  put(156, kind === 'folder' ? '5' : '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(329, octal(0, 8));
  put(337, octal(0, 8));
  put(345, prefix);
  const sum = block.reduce((n, b) => n + b, 0);
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** `files` (path -> text) as a .tgz; `mtime` in seconds since 1970. */
export function tgz(files: ReadonlyMap<string, string>, mtime: number): Uint8Array {
  const folders = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(`${parts.slice(0, i).join('/')}/`);
  }
  const entries = [...[...folders].map((p) => [p, undefined] as const), ...[...files].map(([p, t]) => [p, t] as const)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const chunks: Uint8Array[] = [];
  for (const [path, text] of entries) {
    if (text === undefined) {
      chunks.push(header(path, 0, 'folder', mtime));
      continue;
    }
    const body = Buffer.from(text, 'utf8');
    chunks.push(header(path, body.length, 'file', mtime), body, new Uint8Array((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  const gz = gzipSync(Buffer.concat(chunks), { level: 9 });
  // RFC 1952: MTIME 0 is "no time"; OS 255 is "unknown", so the bytes do not depend on the platform.
  gz.fill(0, 4, 8);
  gz[9] = 255;
  return new Uint8Array(gz);
}
