import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runChild, SignalRelay, type ChildStreams } from '../../src/run/child.js';
import { Masker } from '../../src/run/mask.js';
import { Buffered } from '../helpers/io.js';

/**
 * runChild asks for our streams only when it needs them: a descriptor it knows is handed over by number,
 * and a masked output stream is asked for at the child's first byte. Each stream here counts how often it
 * was asked for (for real, asking creates Node's stream for it and loads its modules).
 */
function countingIO(fds: ChildStreams['fds'], input = '') {
  const asked = { stdin: 0, stdout: 0, stderr: 0 };
  const out = new Buffered(false);
  const err = new Buffered(false);
  const stdin = Readable.from(input === '' ? [] : [Buffer.from(input)]);
  const io: ChildStreams = {
    get stdin() {
      asked.stdin += 1;
      return stdin;
    },
    get stdout() {
      asked.stdout += 1;
      return out;
    },
    get stderr() {
      asked.stderr += 1;
      return err;
    },
    fds,
  };
  return { io, asked, out, err };
}

const relay = () => new SignalRelay(new EventEmitter(), true);
const spec = (script: string) => ({ command: 'sh', args: ['-c', script], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: process.cwd() });
const masks = () => ({ stdout: new Masker([Buffer.from('secret-value')]), stderr: new Masker([Buffer.from('secret-value')]) });

describe('runChild asks for our streams only when it needs them', () => {
  it('known descriptors: stdin is handed over by number, never asked for; masked outputs of a silent child are never asked for', async () => {
    const { io, asked } = countingIO({ stdin: 0, stdout: 1, stderr: 2 });
    const r = relay();
    const outcome = await runChild(spec('exit 3'), io, masks(), r);
    r.dispose();
    expect(outcome).toEqual({ started: true, exitCode: 3 });
    expect(asked).toEqual({ stdin: 0, stdout: 0, stderr: 0 });
  });

  it('a masked output is asked for at the first byte, once, and gets the masked text', async () => {
    const { io, asked, out, err } = countingIO({ stdin: 0, stdout: 1, stderr: 2 });
    const r = relay();
    const outcome = await runChild(spec('echo "a secret-value b"; echo more'), io, masks(), r);
    r.dispose();
    expect(outcome).toEqual({ started: true, exitCode: 0 });
    expect(out.text).toBe('a *** b\nmore\n');
    expect(err.text).toBe('');
    expect(asked).toEqual({ stdin: 0, stdout: 1, stderr: 0 });
  });

  it('without descriptors (a test IO), stdin is copied to the child from the stream', async () => {
    const { io, asked, out } = countingIO(undefined, 'from the stream\n');
    const r = relay();
    const outcome = await runChild(spec('cat'), io, masks(), r);
    r.dispose();
    expect(outcome).toEqual({ started: true, exitCode: 0 });
    expect(out.text).toBe('from the stream\n');
    expect(asked.stdin).toBeGreaterThan(0);
  });
});
