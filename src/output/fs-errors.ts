/** File-system failures that are the user's to fix (permissions, a full disk, a file where a folder must be), as sentences. */
import { UserError } from '../user-error.js';

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EISDIR: 'a folder is in the way of a file siemc writes there',
  ENOTDIR: 'a file is in the way of a folder siemc needs there',
  ENOENT: 'it cannot be created there',
  EEXIST: 'something else already exists there',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'an input/output error occurred',
};

/** Turns a Node file-system error about `path` into a UserError; anything else is rethrown as a bug. */
export function asUserError(error: unknown, doing: string, path: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && code in REASONS) return new UserError(`cannot ${doing} ${path}: ${REASONS[code]} (${code}).`);
  return error instanceof Error ? error : new Error(String(error));
}
