import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// A Tab offers nothing when anything goes wrong (docs/completion.md). A project or domain the command would
// refuse (review s28: SCOPED_PROJECT=BAD offered the org's keys) is such a case, wherever it comes from.
const CANARY = 'canary-value-must-never-show';
let sb: Sandbox;

async function complete(line: string, env: Record<string, string> = {}, cwd?: string): Promise<string> {
  const r = await sb.run(['__complete', 'bash', '--', ...line.split(' ')], { env, ...(cwd === undefined ? {} : { cwd }) });
  // As for any error: exit 0, nothing on either stream.
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).not.toContain(CANARY);
  return r.stdout;
}

beforeAll(async () => {
  sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  for (const args of [['ORG_KEY'], ['API_TOKEN', '-p', 'billing'], ['DOMAIN_KEY', '-d', 'prod']]) {
    expect((await sb.run(['create', 'secret', ...args], { stdin: CANARY })).code).toBe(0);
  }
});
afterAll(() => sb.cleanup());

describe('KEY completion with an invalid project or domain: nothing', () => {
  it('valid ones still complete (the checks below are not vacuous)', async () => {
    expect(await complete('resolve ')).toBe('ORG_KEY\n');
    expect(await complete('resolve ', { SCOPED_PROJECT: 'billing' })).toBe('API_TOKEN\nORG_KEY\n');
    expect(await complete('run --only ', { SCOPED_DOMAIN: 'prod' })).toBe('DOMAIN_KEY\nORG_KEY\n');
    expect(await complete('get secret -p billing ')).toBe('API_TOKEN\n');
    expect(await complete('create secret -p billing ')).toBe('DOMAIN_KEY\nORG_KEY\n');
  });

  it.each([
    ['SCOPED_PROJECT=BAD', 'resolve ', { SCOPED_PROJECT: 'BAD' }],
    ['SCOPED_DOMAIN=_', 'export --only ', { SCOPED_DOMAIN: '_' }],
    ['resolve -p BAD', 'resolve -p BAD ', {}],
    ['run -d Prod --only', 'run -d Prod --only ', {}],
    ['get secret -p BAD', 'get secret -p BAD ', {}],
    ['create secret -d _ (keys elsewhere in the org)', 'create secret -d _ ', {}],
    ['restore secret -p BAD', 'restore secret -p BAD ', {}],
  ])('%s', async (_what, line, env) => {
    expect(await complete(line, env)).toBe('');
  });

  it('a bad project in .scoped.yaml, for a deployment command; a flag that replaces it completes again', async () => {
    writeFileSync(join(sb.dir, '.scoped.yaml'), 'project: BAD\n');
    try {
      expect(await complete('resolve ')).toBe('');
      expect(await complete('resolve -p billing ')).toBe('API_TOKEN\nORG_KEY\n');
      // Management commands ignore the file's project, as they do when they run.
      expect(await complete('get secret ')).toBe('ORG_KEY\n');
    } finally {
      writeFileSync(join(sb.dir, '.scoped.yaml'), '');
    }
  });
});
