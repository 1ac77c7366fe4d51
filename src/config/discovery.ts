import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { PROJECT_CONFIG } from './settings.js';

/** Where the config files are: `.scoped.yaml` found upward, the user's config, the default store folder. */

/**
 * Whether a config file is there, a link included whatever it points to: a dangling `.scoped.yaml` link
 * is a fault to name, not a file to pass over silently (its settings would be lost without a word).
 */
export function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // a folder on the way that cannot be read: nothing there for us
  }
}

/** `.scoped.yaml` in the working directory or the nearest folder above it. */
export function findProjectConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG);
    if (present(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function userConfigPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'scoped', 'config.yaml');
}

/**
 * A path as shown to the user: `~` for $HOME only when the path really is under it (so
 * `$XDG_CONFIG_HOME=/tmp/x` shows `/tmp/x/scoped/config.yaml`), else as it is.
 */
export function shownPath(path: string, env: Record<string, string | undefined>): string {
  const home = resolve(env.HOME || homedir());
  if (home === sep) return path;
  return path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}

export function defaultHome(env: Record<string, string | undefined>): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'scoped');
}
