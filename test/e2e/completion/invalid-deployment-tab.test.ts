/**
 * The built binary (bin/scoped.cjs, a Tab answered by dist/bundle/fast.cjs): with a project or domain the
 * command would refuse, a Tab offers nothing and exits 0, as for any error (review s28, finding 3).
 * Needs `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binSandbox } from '../../helpers/bin.js';

const sb = binSandbox();
const env = { SCOPED_HOME: `${sb.home}/store`, SCOPED_LOCAL_KEY: Buffer.alloc(32, 9).toString('base64'), XDG_CACHE_HOME: `${sb.home}/cache` };
const tab = (words: string[], extra: Record<string, string> = {}) => sb.run(['__complete', 'bash', '--', ...words], { env: { ...env, ...extra } });

beforeAll(() => {
  expect(sb.run(['create', 'secret', 'ORG_KEY'], { stdin: 'v', env }).code).toBe(0);
});
afterAll(() => sb.cleanup());

describe('Tab with an invalid project or domain, through the built binary', () => {
  it('a valid deployment offers the keys', () => {
    expect(tab(['resolve', ''], { SCOPED_PROJECT: 'billing' })).toMatchObject({ code: 0, stdout: 'ORG_KEY\n', stderr: '' });
  });

  it.each([
    ['SCOPED_PROJECT=BAD', ['resolve', ''], { SCOPED_PROJECT: 'BAD' }],
    ['SCOPED_DOMAIN=_', ['run', '--only', ''], { SCOPED_DOMAIN: '_' }],
    ['-p BAD', ['export', '-p', 'BAD', '--only', ''], {}],
  ])('%s: nothing, exit 0', (_what, words, extra) => {
    expect(tab(words, extra)).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});
