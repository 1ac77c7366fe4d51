import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoredText } from '../../src/cli/reveal.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { seed } from '../helpers/seed.js';

/** What an attacker with write access to the store would plant for whoever reveals it on a terminal. */
const HOSTILE = 'pw\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202edcba\r\nline 2\tend';
const ESCAPED = 'pw\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\x9b31m\\u202edcba\\r\nline 2\tend';
const WARNING = 'warning: control characters in the output are shown escaped on this terminal; --raw prints them as they are\n';

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, { HOSTILE, PLAIN: 'just text\nline 2' });
});
afterEach(() => sb.cleanup());

describe('stored values on a terminal', () => {
  const commands: [string, string[], (s: string) => string][] = [
    ['get secret --reveal', ['get', 'secret', 'HOSTILE', '--reveal'], (s) => `${s}\n`],
    ['resolve --reveal', ['resolve', 'HOSTILE', '--reveal', '-p', 'web', '-d', 'dev'], (s) => `${s}\n`],
    ['export --format shell', ['export', '--format', 'shell', '--only', 'HOSTILE', '-p', 'web', '-d', 'dev'], (s) => `export HOSTILE='${s}'\n`],
    ['render', ['render', '-', '-p', 'web', '-d', 'dev'], (s) => `v: ${s}\n`],
  ];
  for (const [name, argv, shape] of commands) {
    it(`${name}: escaped on a terminal (one warning), byte for byte with --raw and when piped`, async () => {
      const stdin = 'v: {{ secret "HOSTILE" }}\n';
      const tty = await sb.run(argv, { tty: true, stdin, env: { NO_COLOR: '1' } });
      expect(tty).toMatchObject({ code: 0, stdout: shape(ESCAPED), stderr: WARNING });
      const raw = await sb.run([...argv, '--raw'], { tty: true, stdin, env: { NO_COLOR: '1' } });
      expect(raw).toMatchObject({ code: 0, stdout: shape(HOSTILE), stderr: '' });
      const piped = await sb.run(argv, { stdin });
      expect(piped).toMatchObject({ code: 0, stdout: shape(HOSTILE).replace(/\n$/, name.includes('reveal') ? '' : '\n'), stderr: '' });
    });
  }

  it('plain text is shown as it is, with no warning', async () => {
    expect(await sb.run(['get', 'secret', 'PLAIN', '--reveal'], { tty: true, env: { NO_COLOR: '1' } })).toMatchObject({ code: 0, stdout: 'just text\nline 2\n', stderr: '' });
  });

  it('binary values: \\xNN on a terminal, bytes when piped', async () => {
    await seed(sb, { BIN: new Uint8Array([0x41, 0x00, 0x1b, 0xff, 0x0a]) });
    expect((await sb.run(['get', 'secret', 'BIN', '--reveal'], { tty: true })).stdout).toBe('A\\x00\\x1b\\xff\n');
    expect((await sb.run(['get', 'secret', 'BIN', '--reveal'])).io.stdout.bytes).toEqual(Buffer.from([0x41, 0x00, 0x1b, 0xff, 0x0a]));
  });

  it('--raw without --reveal is a usage error', async () => {
    expect(await sb.run(['get', 'secret', 'HOSTILE', '--raw'])).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: --raw is how --reveal prints the value; add --reveal\n' });
    expect(await sb.run(['resolve', 'HOSTILE', '--raw'])).toMatchObject({ code: 2, stdout: '' });
  });

  it('StoredText leaves nothing raw on a terminal: every C0, C1 and bidi control is escaped', () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('') + '\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    const { out } = new StoredText(all).shown(true, false);

    expect((out as string).replace(/[\n\t]/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(new StoredText(all).shown(false, false).out).toBe(all);
  });
});
