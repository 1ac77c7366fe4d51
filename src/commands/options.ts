import type { Command } from 'commander';

/** Option definitions shared by several commands. */

/** `--project` / `--domain` on a command. */
export function scopeOptions(cmd: Command, what: string): Command {
  return cmd.option('-p, --project <project>', `project ${what}`).option('-d, --domain <domain>', `domain ${what}`);
}

/** `--project` / `--domain` of a deployment command, which also reads SCOPED_PROJECT / SCOPED_DOMAIN and the config file. */
export function deploymentOptions(cmd: Command): Command {
  return scopeOptions(cmd, 'of the deployment (env SCOPED_PROJECT / SCOPED_DOMAIN, or the config file)');
}

/** A repeatable option's parser: each use appends. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
