import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-config-'));
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
  mkdirSync(join(dir, 'repo', 'sub'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const repoFile = (text: string) => writeFileSync(join(dir, 'repo', '.scoped.yaml'), text);
const userFile = (text: string) => {
  mkdirSync(join(dir, 'xdg', 'scoped'), { recursive: true });
  writeFileSync(join(dir, 'xdg', 'scoped', 'config.yaml'), text);
};

describe('configuration', () => {
  it('flag > env > repository file > user file > default', async () => {
    repoFile('org: repo-org\nproject: billing\n');
    userFile('org: user-org\ndomain: staging\nprefix: team\n');
    const sub = join(dir, 'repo', 'sub');
    const c = await loadConfig({}, env, sub);
    expect(c.org).toEqual({ value: 'repo-org', source: `file ${join(dir, 'repo', '.scoped.yaml')}` });
    expect(c.domain.value).toBe('staging');
    expect(c.prefix.value).toBe('team/');
    expect(c.backend).toEqual({ value: 'local', source: 'default' });
    expect((await loadConfig({}, { ...env, SCOPED_ORG: 'env-org' }, sub)).org.source).toBe('env SCOPED_ORG');
    expect((await loadConfig({ org: 'flag-org' }, { ...env, SCOPED_ORG: 'env-org' }, sub)).org).toEqual({ value: 'flag-org', source: 'flag --org' });
  });

  it.each(['endpoint-url: http://evil.example', 'role-arn: arn:aws:iam::123456789012:role/x', 'home: /tmp/elsewhere', 'profile: other'])(
    "a repository's .scoped.yaml may not set %s",
    async (line) => {
      repoFile(`org: acme\n${line}\n`);
      const err = await loadConfig({}, env, join(dir, 'repo')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/may not choose/);
    },
  );

  it('the user config and SCOPED_CONFIG may set them; a relative home is relative to the file', async () => {
    userFile('endpoint-url: http://127.0.0.1:4566\nhome: ./store\n');
    const c = await loadConfig({}, env, join(dir, 'repo', 'sub'));
    expect(c.endpointUrl.value).toBe('http://127.0.0.1:4566');
    expect(c.home.value).toBe(join(dir, 'xdg', 'scoped', 'store'));
    writeFileSync(join(dir, 'mine.yaml'), 'role-arn: arn:aws:iam::123456789012:role/x\n');
    expect((await loadConfig({}, { ...env, SCOPED_CONFIG: join(dir, 'mine.yaml') }, dir)).roleArn.value).toMatch(/role\/x$/);
  });

  it('takes numbers as names, and reports bad YAML and unknown keys in one line', async () => {
    repoFile('org: 123\n');
    expect((await loadConfig({}, env, join(dir, 'repo'))).org.value).toBe('123');
    repoFile('org: [unclosed\n');
    const bad = (await loadConfig({}, env, join(dir, 'repo')).catch((e: unknown) => e)) as UsageError;
    expect(bad.message).toMatch(/is not valid YAML: .*[^:]$/);
    expect(bad.message).not.toContain('\n');
    repoFile('colour: blue\n');
    await expect(loadConfig({}, env, join(dir, 'repo'))).rejects.toThrow(/unknown setting "colour"/);
  });
});
