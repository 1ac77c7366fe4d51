import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../src/errors.js';

afterEach(() => {
  vi.doUnmock('../../src/fs/atomic-write.js');
  vi.resetModules();
});

describe('--out files', () => {
  it('are written 0600', async () => {
    const { writeOutFile } = await import('../../src/export/private-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'scoped-out-'));
    writeOutFile(dir, 'x.env', 'A=1\n');
    expect(readFileSync(join(dir, 'x.env'), 'utf8')).toBe('A=1\n');
    expect(statSync(join(dir, 'x.env')).mode & 0o777).toBe(0o600);
  });

  it('refuse a device or FIFO, which the rename would replace', async () => {
    const { writeOutFile } = await import('../../src/export/private-file.js');
    expect(() => writeOutFile('/', '/dev/null', 'A=1\n')).toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(/not a regular file/) }));
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a full disk is exit 6 (the device), a bad path exit 2', async () => {
    vi.doMock('../../src/fs/atomic-write.js', () => ({
      writeFileAtomic: (path: string) => {
        const code = path.endsWith('full') ? 'ENOSPC' : 'ENOTDIR';
        throw Object.assign(new Error(code), { code });
      },
    }));
    const { writeOutFile } = await import('../../src/export/private-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'scoped-out-'));
    expect(() => writeOutFile(dir, 'full', 'x')).toThrow(expect.objectContaining({ exitCode: ExitCode.unavailable, message: expect.stringMatching(/no space left.*nothing was written/) }));
    expect(() => writeOutFile(dir, 'a/b', 'x')).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }));
  });
});
