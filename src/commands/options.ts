import type { Command, OptionValues } from '@commander-js/extra-typings';

/** Option definitions shared by several commands; generic so the command's opts() type keeps them. */

/** `--project` / `--domain` on a command. */
export function scopeOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>, what: string) {
  return cmd.option('-p, --project <project>', `project ${what}`).option('-d, --domain <domain>', `domain ${what}`);
}

/** `--project` / `--domain` of a deployment command, which also reads SCOPED_PROJECT / SCOPED_DOMAIN and the config file. */
export function deploymentOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return scopeOptions(cmd, 'of the deployment (env SCOPED_PROJECT / SCOPED_DOMAIN, or the config file)');
}

/** A repeatable option's parser: each use appends. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
