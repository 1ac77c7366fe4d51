/**
 * `--max-age` bounds the last-known-good values `--fallback` and `--offline` use: given on a line where
 * neither is on, it would bound nothing, and is a usage error before anything is read (as `--signal`
 * without `--watch` is). From the environment it may stand ready for the lines that turn --fallback on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from '../helpers/io.js';

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('--max-age without --fallback or --offline', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
  afterAll(() => sb.cleanup());
  const refused = 'scoped: --max-age bounds the last-known-good values of --fallback and --offline, and neither is on; add --fallback (or --offline), or leave --max-age out\n';

  it('is refused on run, export and render (exit 2, nothing printed, nothing run)', async () => {
    expect((await sb.run(['create', 'secret', 'A', '-p', 'app', '-d', 'prod'], { stdin: 'v1' })).code).toBe(0);
    for (const argv of [
      ['export', '-p', 'app', '-d', 'prod', '--max-age', '1h'],
      ['render', '-', '-p', 'app', '-d', 'prod', '--max-age', '1h'],
      ['run', '-p', 'app', '-d', 'prod', '--max-age=1h', '--', 'sh', '-c', 'echo ran'],
    ]) {
      const r = await sb.run(argv, { stdin: '{{ secret "A" }}' });
      expect({ argv, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ argv, code: 2, stdout: '', stderr: refused });
    }
  });

  it('is taken with --fallback or --offline on the line or in the environment, and from the environment alone', async () => {
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--fallback', '--max-age', '1h'])).code).toBe(0);
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--offline', '--max-age', '1h'])).code).toBe(0);
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--max-age', '1h'], { env: { SCOPED_FALLBACK: '1' } })).code).toBe(0);
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod'], { env: { SCOPED_MAX_AGE: '1h' } })).code).toBe(0);
  });
});
