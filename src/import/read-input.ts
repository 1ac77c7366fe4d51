import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { describeFsError } from '../cli/fs-errors.js';

/**
 * The most an import source may hold. 10,000 keys of typical size are a few MiB; the largest sensible
 * file (every value at the 64 KiB limit) is far beyond what one import should carry. A source that never
 * ends (`/dev/zero`, a stuck pipe producing data) stops here instead of filling memory.
 */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/**
 * All of `stream`, or a usage error once it passes `limit` bytes (the stream is destroyed, so a file is
 * closed and a producer stops). `what` names the source in messages.
 */
export async function readBounded(stream: NodeJS.ReadableStream, what: string, limit = MAX_IMPORT_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += b.length;
      if (size > limit) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        throw new UsageError(`${what} is larger than ${limit / 1024 / 1024} MiB, the most one import reads`, 'split it into several files');
      }
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${what}: ${describeFsError(err)}`);
  }
  return Buffer.concat(chunks);
}

/** FILE (relative to `cwd`) or `-` for `stdin`, bounded. */
export function readSource(file: string, cwd: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (file === '-') return readBounded(stdin, 'stdin');
  return readBounded(createReadStream(resolve(cwd, file)), file);
}
