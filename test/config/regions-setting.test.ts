import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { awsSettings } from '../../src/store/aws/client.js';
import { UsageError } from '../../src/errors.js';

/** `--regions` / SCOPED_REGIONS / `regions:`: the replica regions reads fail over along (the first is the primary). */
let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-regions-'));
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
  mkdirSync(join(dir, 'repo'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the regions setting', () => {
  it('flag > env > repository file, comma-separated, spaces allowed; unset by default', async () => {
    writeFileSync(join(dir, 'repo', '.scoped.yaml'), 'backend: aws\nregions: eu-west-1, eu-central-1\n');
    const cwd = join(dir, 'repo');
    expect((await loadConfig({}, env, cwd)).regions).toEqual({ value: ['eu-west-1', 'eu-central-1'], source: `file ${join(cwd, '.scoped.yaml')}` });
    expect((await loadConfig({}, { ...env, SCOPED_REGIONS: 'us-east-1,us-west-2' }, cwd)).regions).toEqual({ value: ['us-east-1', 'us-west-2'], source: 'env SCOPED_REGIONS' });
    expect((await loadConfig({ regions: 'ap-south-1,ap-east-1' }, env, cwd)).regions.value).toEqual(['ap-south-1', 'ap-east-1']);
    expect((await loadConfig({}, env, dir)).regions).toEqual({ value: undefined, source: 'default' });
  });

  it.each([
    ['us-east-1,nowhere', 'invalid AWS region "nowhere"'],
    ['us-east-1,,us-west-2', 'invalid AWS region ""'],
    ['us-east-1,us-east-1', 'region us-east-1 is named twice'],
  ])('refuses %j (usage error naming the source)', async (value, text) => {
    const err: unknown = await loadConfig({ regions: value }, env, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(text);
    expect((err as UsageError).message).toContain('flag --regions');
  });

  it('the first region is the client region (where writes go), taking the place of --region', async () => {
    const config = await loadConfig({ regions: 'us-west-2,us-east-1', region: 'eu-west-1' }, env, dir);
    const s = awsSettings(config, {});
    expect(s.region).toBe('us-west-2');
    expect(s.regions).toEqual(['us-west-2', 'us-east-1']);
    expect(s.regionSource).toBe('flag --regions, the first of the regions');
  });
});
