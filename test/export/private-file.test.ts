import { lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../src/errors.js';

afterEach(() => {
  vi.doUnmock('../../src/support/atomic-write.js');
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
    expect(() => writeOutFile('/', '/dev/null', 'A=1\n')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(/is a device or descriptor/) }),
    );
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  // As root a rename over /dev/stdout replaced the link itself with a 0600 file of secrets, and the
  // redirect target stayed empty. These links live in a temp folder, so a regression replaces only them.
  it('refuse a link that leads into /dev or /proc (a link to /dev/stdout, to /proc/self/fd/1), leaving the link', async () => {
    const { writeOutFile } = await import('../../src/export/private-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'scoped-out-'));
    symlinkSync('/dev/stdout', join(dir, 'to-stdout'));
    symlinkSync('/proc/self/fd/1', join(dir, 'to-fd'));
    symlinkSync('to-stdout', join(dir, 'chain'));
    symlinkSync('/dev', join(dir, 'devdir'));
    for (const [out, says] of [
      ['to-stdout', /^--out to-stdout leads to \/dev\/stdout, which is a device or descriptor, and writing it would replace it$/],
      ['to-fd', /leads to \/proc\/self\/fd\/1, which is a device or descriptor/],
      ['chain', /leads to \/dev\/stdout/],
      ['devdir/stdout', /is a device or descriptor/],
    ] as const) {
      expect(() => writeOutFile(dir, out, 'A=1\n')).toThrow(
        expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(says), hint: expect.stringMatching(/use --out - for stdout/) }),
      );
    }
    expect(lstatSync(join(dir, 'to-stdout')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'to-stdout'))).toBe('/dev/stdout');
  });

  it('write through a link to a regular file (or to a name not there yet), keeping the link', async () => {
    const { writeOutFile } = await import('../../src/export/private-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'scoped-out-'));
    writeFileSync(join(dir, 'real.env'), 'OLD=1\n', { mode: 0o644 });
    symlinkSync('real.env', join(dir, 'link.env'));
    writeOutFile(dir, 'link.env', 'A=1\n');
    expect(lstatSync(join(dir, 'link.env')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.env'), 'utf8')).toBe('A=1\n');
    expect(statSync(join(dir, 'real.env')).mode & 0o777).toBe(0o600);
    symlinkSync('later.env', join(dir, 'dangling.env'));
    writeOutFile(dir, 'dangling.env', 'B=2\n');
    expect(readFileSync(join(dir, 'later.env'), 'utf8')).toBe('B=2\n');
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    expect(() => writeOutFile(dir, 'loop-a', 'x')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(/too many levels of symbolic links/) }),
    );
  });

  it('a full disk is exit 6 (the device), a bad path exit 2', async () => {
    vi.doMock('../../src/support/atomic-write.js', () => ({
      writeFileAtomic: (path: string) => {
        const code = path.endsWith('full') ? 'ENOSPC' : 'ENOTDIR';
        throw Object.assign(new Error(code), { code });
      },
    }));
    const { writeOutFile } = await import('../../src/export/private-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'scoped-out-'));
    expect(() => writeOutFile(dir, 'full', 'x')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.unavailable, message: expect.stringMatching(/no space left.*nothing was written/) }),
    );
    expect(() => writeOutFile(dir, 'a/b', 'x')).toThrow(expect.objectContaining({ exitCode: ExitCode.usage }));
  });
});
