import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCheckLists, loadConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';

describe('config: required and deployments', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-cfg-'));
    writeFileSync(join(dir, '.scoped.yaml'), text);
    return { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') };
  };

  it('reads both lists, validated, from the repository file', async () => {
    const env = write('org: acme\nrequired: [DB_URL, API_TOKEN]\ndeployments:\n  - billing/staging\n  - billing/production\n');
    const config = await loadConfig({}, env, dir);
    const lists = await loadCheckLists(config.files);
    expect(lists.required).toEqual({ value: ['DB_URL', 'API_TOKEN'], source: `file ${join(dir, '.scoped.yaml')}` });
    expect(lists.deployments?.value).toEqual([
      { project: 'billing', domain: 'staging' },
      { project: 'billing', domain: 'production' },
    ]);
  });

  it.each([
    ['required: DB_URL\n', /required must be a non-empty list of keys; e\.g\. required: \[DB_URL, API_TOKEN\]/],
    ['required: []\n', /required must be a non-empty list/],
    ['required: [DB-URL]\n', /required\[0\]: invalid key "DB-URL"/],
    ['deployments: [billing]\n', /deployments\[0\]: invalid deployment "billing"; write a deployment as PROJECT\/DOMAIN/],
    ['deployments: [{project: a}]\n', /deployments must be a non-empty list of PROJECT\/DOMAIN deployments/],
    ['require: [A]\n', /unknown setting "require"; known settings: .*required, deployments/],
  ])('refuses %j with one line naming the file', async (text, message) => {
    const env = write(text);
    const err: unknown = await loadConfig({}, env, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toMatch(message);
    expect((err as UsageError).line()).toContain(join(dir, '.scoped.yaml'));
  });
});
