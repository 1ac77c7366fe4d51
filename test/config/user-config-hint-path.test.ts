/**
 * A repository's `.scoped.yaml` that sets a setting only the user may choose (cache, fallback, home) is
 * refused with a hint naming the user config file actually read: `$XDG_CONFIG_HOME/scoped/config.yaml`
 * when set, shown with `~` only when it is under $HOME.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { shownPath, userConfigPath } from '../../src/config/discovery.js';

let root: string;
let home: string;
let repo: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'scoped-hint-path-'));
  home = join(root, 'home');
  repo = join(root, 'repo');
  mkdirSync(home);
  mkdirSync(repo);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function refusal(setting: string, env: Record<string, string>): Promise<string> {
  writeFileSync(join(repo, '.scoped.yaml'), `${setting}\n`);
  const err = await loadConfig({}, env, repo).then(
    () => undefined,
    (e: unknown) => e as { message: string; hint?: string },
  );
  expect(err, `${setting} was not refused`).toBeDefined();
  return (err as { hint?: string }).hint ?? '';
}

describe('the hint names the user config file read', () => {
  it.each(['cache: true', 'fallback: true'])('%s with XDG_CONFIG_HOME outside HOME: the full path, no ~', async (setting) => {
    const xdg = join(root, 'x');
    const hint = await refusal(setting, { HOME: home, XDG_CONFIG_HOME: xdg });
    expect(hint).toBe(`set it in your user config (${join(xdg, 'scoped', 'config.yaml')}), the environment or a flag`);
    expect(hint).not.toContain('~');
  });

  it('XDG_CONFIG_HOME under HOME: shown with ~', async () => {
    const hint = await refusal('cache: true', { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg') });
    expect(hint).toBe('set it in your user config (~/cfg/scoped/config.yaml), the environment or a flag');
  });

  it('no XDG_CONFIG_HOME: ~/.config/scoped/config.yaml', async () => {
    const hint = await refusal('fallback: true', { HOME: home });
    expect(hint).toBe('set it in your user config (~/.config/scoped/config.yaml), the environment or a flag');
  });

  it('home: names the same file', async () => {
    const xdg = join(root, 'x');
    const hint = await refusal('home: ./store', { HOME: home, XDG_CONFIG_HOME: xdg });
    expect(hint).toBe(`set SCOPED_HOME, or home: in your user config (${join(xdg, 'scoped', 'config.yaml')})`);
  });

  it('the path shown is the one read: a setting put there is used', async () => {
    const xdg = join(root, 'x');
    const env = { HOME: home, XDG_CONFIG_HOME: xdg };
    expect(userConfigPath(env)).toBe(join(xdg, 'scoped', 'config.yaml'));
    mkdirSync(join(xdg, 'scoped'), { recursive: true });
    writeFileSync(userConfigPath(env), 'fallback: true\n');
    const config = await loadConfig({}, env, repo);
    expect(config.fallback).toMatchObject({ value: true });
  });
});

describe('shownPath', () => {
  it('~ only for a path really under HOME', () => {
    expect(shownPath('/home/ann/.config/scoped/config.yaml', { HOME: '/home/ann' })).toBe('~/.config/scoped/config.yaml');
    expect(shownPath('/home/ann/.config/scoped/config.yaml', { HOME: '/home/ann/' })).toBe('~/.config/scoped/config.yaml');
    expect(shownPath('/home/annex/scoped/config.yaml', { HOME: '/home/ann' })).toBe('/home/annex/scoped/config.yaml');
    expect(shownPath('/tmp/x/scoped/config.yaml', { HOME: '/home/ann' })).toBe('/tmp/x/scoped/config.yaml');
    expect(shownPath('/tmp/x/scoped/config.yaml', { HOME: '/' })).toBe('/tmp/x/scoped/config.yaml');
  });
});

describe('through main', () => {
  it('scoped export with XDG_CONFIG_HOME outside HOME and cache: true in .scoped.yaml: exit 2, the real path', async () => {
    const { sandbox } = await import('../helpers/io.js');
    const xdg = join(root, 'x');
    const sb = sandbox({ XDG_CONFIG_HOME: xdg });
    try {
      writeFileSync(join(sb.dir, '.scoped.yaml'), 'cache: true\n');
      const r = await sb.run(['export', '-p', 'app', '-d', 'prod']);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toBe(
        `scoped: ${join(sb.dir, '.scoped.yaml')} sets cache, which a repository's .scoped.yaml may not choose; set it in your user config (${join(xdg, 'scoped', 'config.yaml')}), the environment or a flag\n`,
      );
    } finally {
      sb.cleanup();
    }
  });
});
