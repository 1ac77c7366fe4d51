import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { awsSettings } from '../../src/store/aws/client.js';
import { UsageError } from '../../src/errors.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

/** `regions:` in a config file as a YAML list (flow or block), beside the comma string it always took. */
let dir: string;
let env: Record<string, string>;
let repo: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-regions-list-'));
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
  repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  mkdirSync(join(dir, 'xdg', 'scoped'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const projectFile = () => join(repo, '.scoped.yaml');
const userFile = () => join(dir, 'xdg', 'scoped', 'config.yaml');
const namedFile = () => join(dir, 'named.yaml');

async function refusal(text: string, where: () => string = projectFile, extraEnv: Record<string, string> = {}): Promise<UsageError> {
  writeFileSync(where(), text);
  const err: unknown = await loadConfig({}, { ...env, ...extraEnv }, repo).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('regions: as a list in a config file', () => {
  it.each([
    ['a flow list', 'regions: [us-east-1, us-west-2]\n'],
    ['a block list', 'regions:\n  - us-east-1\n  - us-west-2\n'],
    ['quoted entries', 'regions: ["us-east-1", \'us-west-2\']\n'],
    ['the comma string, as before', 'regions: us-east-1, us-west-2\n'],
  ])('%s in the repository file', async (_, text) => {
    writeFileSync(projectFile(), `backend: aws\n${text}`);
    const config = await loadConfig({}, env, repo);
    expect(config.regions).toEqual({ value: ['us-east-1', 'us-west-2'], source: `file ${projectFile()}` });
    // The first is the client's region, as with the comma form.
    expect(awsSettings(config, {}).region).toBe('us-east-1');
  });

  it('a one-entry list', async () => {
    writeFileSync(projectFile(), 'regions: [eu-west-1]\n');
    expect((await loadConfig({}, env, repo)).regions.value).toEqual(['eu-west-1']);
  });

  it('in the user config and in a file named by SCOPED_CONFIG too', async () => {
    writeFileSync(userFile(), 'regions:\n  - ap-south-1\n  - ap-east-1\n');
    expect((await loadConfig({}, env, dir)).regions).toEqual({ value: ['ap-south-1', 'ap-east-1'], source: `file ${userFile()}` });
    writeFileSync(namedFile(), 'regions: [ca-central-1, sa-east-1]\n');
    expect((await loadConfig({}, { ...env, SCOPED_CONFIG: namedFile() }, dir)).regions).toEqual({
      value: ['ca-central-1', 'sa-east-1'],
      source: `file ${namedFile()}`,
    });
  });

  it('precedence is unchanged: flag > env > repository list > user list', async () => {
    writeFileSync(projectFile(), 'regions: [us-east-1, us-west-2]\n');
    writeFileSync(userFile(), 'regions: [eu-west-1]\n');
    expect((await loadConfig({}, env, repo)).regions.value).toEqual(['us-east-1', 'us-west-2']);
    expect((await loadConfig({}, { ...env, SCOPED_REGIONS: 'eu-central-1' }, repo)).regions).toEqual({ value: ['eu-central-1'], source: 'env SCOPED_REGIONS' });
    expect((await loadConfig({ regions: 'ap-south-1' }, env, repo)).regions).toEqual({ value: ['ap-south-1'], source: 'flag --regions' });
  });

  it.each([
    ['a bad entry', 'regions: [us-east-1, nowhere]\n', 'invalid AWS region "nowhere" (from file '],
    ['an empty string entry', 'regions: [us-east-1, ""]\n', 'invalid AWS region "" (from file '],
    ['two regions in one entry', 'regions: ["us-east-1,us-west-2"]\n', 'invalid AWS region "us-east-1,us-west-2" (from file '],
    ['an entry with spaces', 'regions: [" us-east-1"]\n', 'invalid AWS region " us-east-1" (from file '],
    ['a region twice', 'regions: [us-east-1, us-west-2, us-east-1]\n', 'region us-east-1 is named twice in the regions (from file '],
  ])('refuses %s with the message the comma form gives', async (_, text, message) => {
    const err = await refusal(text);
    expect(err.message).toContain(message);
    expect(err.message).toContain(projectFile());
    expect(err.message).not.toContain('\n');
  });

  it('the same messages for a bad entry as the comma form', async () => {
    const list = await refusal('regions: [us-east-1, nowhere]\n');
    const comma = await refusal('regions: us-east-1,nowhere\n');
    expect(list.message).toBe(comma.message);
    expect(list.hint).toBe(comma.hint);
  });

  it('refuses an empty list in one clear line, on every layer', async () => {
    for (const [where, extraEnv] of [
      [projectFile, {}],
      [userFile, {}],
      [namedFile, { SCOPED_CONFIG: namedFile() }],
    ] as const) {
      const err = await refusal('regions: []\n', where, extraEnv);
      expect(err.message).toBe(`config file ${where()}: regions is an empty list`);
      expect(err.hint).toMatch(/name at least one region/);
      rmSync(where());
    }
  });

  it.each([
    ['a number', 'regions: [us-east-1, 5]\n', 'a number'],
    ['a null', 'regions: [us-east-1, null]\n', 'an empty entry'],
    ['a mapping', 'regions: [{us-east-1: x}]\n', 'a mapping'],
    ['a nested list', 'regions: [[us-east-1]]\n', 'a list'],
    ['a boolean', 'regions: [true]\n', 'a boolean'],
  ])('refuses an entry that is %s, naming the file', async (_, text, what) => {
    const err = await refusal(text);
    expect(err.message).toBe(`config file ${projectFile()}: regions lists ${what}, not a region code`);
  });

  it('a mapping is still refused as before', async () => {
    const err = await refusal('regions:\n  primary: us-east-1\n');
    expect(err.message).toBe(`config file ${projectFile()}: regions must be a non-empty string`);
  });
});

describe('through main', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());

  it('config show reads a block list from the repository file', async () => {
    writeFileSync(join(sb.dir, '.scoped.yaml'), 'backend: aws\nregions:\n  - us-east-1\n  - us-west-2\n');
    const r = await sb.run(['config', 'show', '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout).settings.regions).toEqual({ value: ['us-east-1', 'us-west-2'], source: `file ${join(sb.dir, '.scoped.yaml')}` });
  });

  it('a bad entry or an empty list: exit 2, one line naming the file, stdout empty', async () => {
    for (const [text, message] of [
      ['regions: [us-east-1, nowhere]\n', 'invalid AWS region "nowhere"'],
      ['regions: []\n', 'regions is an empty list'],
    ]) {
      writeFileSync(join(sb.dir, '.scoped.yaml'), `backend: aws\n${text}`);
      const r = await sb.run(['config', 'show']);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(join(sb.dir, '.scoped.yaml'));
      expect(r.stderr.trim().split('\n')[0]).toContain(message);
    }
  });
});
