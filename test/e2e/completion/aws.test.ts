/**
 * Completion on the AWS backend with the built binary against moto: the first Tab starts a detached
 * refresh of the names cache, later Tabs answer from it. Dummy keys and a loopback endpoint only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { binSandbox } from '../../helpers/bin.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const CANARY = 'canary-aws-value-never-cached';

describeWithMoto('completion on AWS (built binary, moto)', (moto) => {
  let sb: ReturnType<typeof binSandbox>;
  let env: Record<string, string>;
  const cacheDir = () => join(sb.home, '.cache', 'scoped');
  const tab = (words: string[]) => sb.run(['__complete', 'bash', '--', ...words], { env });

  beforeAll(async () => {
    await moto().reset();
    sb = binSandbox();
    env = { ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' };
    for (const args of [['TOKEN', '--project', 'web'], ['API', '--project', 'billing', '--domain', 'prod'], ['ORG_WIDE']]) {
      const r = sb.run(['create', 'secret', ...args], { env, stdin: CANARY });
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => sb?.cleanup());

  it('fills the names cache in the background, then answers from it', async () => {
    const first = tab(['get', 'secret', '--project', '']);
    expect(first.code).toBe(0);
    expect(['', 'billing\nweb\n']).toContain(first.stdout);

    const deadline = Date.now() + 15_000;
    const cached = () => readdirSync(cacheDir()).filter((f) => f.endsWith('.json'));
    while (cached().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(cached()).toHaveLength(1);

    const started = Date.now();
    expect(tab(['get', 'secret', '--project', ''])).toMatchObject({ code: 0, stdout: 'billing\nweb\n', stderr: '' });
    expect(tab(['get', 'secret', '--domain', ''])).toMatchObject({ stdout: 'prod\n' });
    expect(tab(['get', 'secret', '--project', 'web', ''])).toMatchObject({ stdout: 'TOKEN\n' });
    expect(tab(['resolve', '--project', 'billing', '--domain', 'prod', ''])).toMatchObject({ stdout: 'API\nORG_WIDE\n' });
    console.info(`four Tabs from the cache took ${Date.now() - started} ms`);

    const file = join(cacheDir(), cached()[0] as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(CANARY);
    expect(JSON.parse(text).names.sort()).toEqual(['scoped/acme/_/_/ORG_WIDE', 'scoped/acme/billing/prod/API', 'scoped/acme/web/_/TOKEN']);
  });

  it('keeps one cache per org: another org on the line is not answered from this one', () => {
    const other = tab(['--org', 'other', 'get', 'secret', '--project', '']);
    expect(other).toMatchObject({ code: 0, stderr: '' });
    expect(other.stdout).not.toContain('web');
  });
});
