import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

/**
 * The config's check lists refuse an item given twice, as `--require A --require A` is refused (review s28,
 * finding 9: `required: [A, A]` was taken silently).
 */
let s: Sandbox;
beforeEach(() => {
  s = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
});
afterEach(() => s.cleanup());

describe('check: a list item given twice in .scoped.yaml', () => {
  it.each([
    ['required: [DB_URL, API_TOKEN, DB_URL]\ndeployments: [billing/prod]\n', /^scoped: config file .*\.scoped\.yaml: required\[2\]: "DB_URL" given twice; list each key once\n$/],
    [
      'required: [DB_URL]\ndeployments:\n  - billing/prod\n  - billing/prod\n',
      /^scoped: config file .*\.scoped\.yaml: deployments\[1\]: "billing\/prod" given twice; list each deployment once\n$/,
    ],
  ])('%j: exit 2, one line naming the file, the item and its place', async (text, message) => {
    writeFileSync(join(s.dir, '.scoped.yaml'), `org: acme\n${text}`);
    const r = await s.run(['check']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
  });

  it('the same as the flags: --require A --require A is refused too', async () => {
    const r = await s.run(['check', '--deployment', 'billing/prod', '--require', 'A', '--require', 'A']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/--require "A" given twice/);
  });

  it('a list without repeats still checks (exit 3: the key is missing)', async () => {
    writeFileSync(join(s.dir, '.scoped.yaml'), 'org: acme\nrequired: [DB_URL, API_TOKEN]\ndeployments: [billing/prod]\n');
    const r = await s.run(['check']);
    expect(r.code, r.stderr).toBe(3);
  });
});
