import { dirname } from 'node:path';
import { AccessDeniedError, ScopedError, UnavailableError, UsageError } from '../../errors.js';

/**
 * A file system error met inside the local store, in words: which file, what is wrong, what to do.
 * Anything else (already ours, or not a file system error) is returned as it is.
 */
export function storeFsError(err: unknown, fallbackPath?: string): unknown {
  if (err instanceof ScopedError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  if (typeof code !== 'string') return err;
  const path = e?.path ?? fallbackPath ?? 'the local store';
  // A temp file (of an atomic write or a lock) is ours, not the user's: name its folder.
  const temp = path.endsWith('.tmp');
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      if (temp) return new AccessDeniedError(`cannot write in folder ${dirname(path)} of the local store: permission denied`, 'check its owner and mode (700)', { cause: err });
      return new AccessDeniedError(`cannot ${verb(e?.syscall)} ${path} in the local store: permission denied`, 'check its owner and mode (folders 700, files 600)', { cause: err });
    case 'EROFS':
      return new AccessDeniedError(`cannot write ${path} in the local store: read-only file system`, 'set SCOPED_HOME to a writable folder', { cause: err });
    case 'EEXIST':
      if (e?.syscall !== 'mkdir') return err;
      return new UsageError(`${path} in the local store is a file, not a folder`, 'move it away or set SCOPED_HOME to a folder', { cause: err });
    case 'ENOTDIR':
      return new UsageError(`a part of ${path} in the local store is a file, not a folder`, 'move it away or set SCOPED_HOME to a folder', { cause: err });
    case 'EISDIR':
      return new UsageError(`${path} in the local store is a folder where a file belongs`, 'move it away', { cause: err });
    case 'ELOOP':
      return new UsageError(
        `${path} in the local store is a symbolic link; scoped does not follow links inside its store`,
        'remove the link, or put the file or folder it points to in its place',
        { cause: err },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new UnavailableError(
        `cannot write ${temp ? `in folder ${dirname(path)} of` : `${path} in`} the local store: no space left on the device`,
        'free some space and retry; nothing was changed',
        { cause: err },
      );
    default:
      return err;
  }
}

function verb(syscall: string | undefined): string {
  if (syscall === undefined || syscall === 'open') return 'open';
  if (['read', 'scandir', 'stat', 'lstat', 'access'].includes(syscall)) return 'read';
  return 'write';
}
