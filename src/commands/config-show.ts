import type { Context } from '../cli/context.js';
import { printRows } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { SETTINGS, type Config, type SettingName } from '../config.js';
import { checkRegion } from '../core/aws-partitions.js';
import { checkDeploymentNames, scopeFlagsOf } from './scope-flags.js';

export const configShowCommand = defineCommand({
  verb: 'config',
  name: 'show',
  summary: 'every effective setting and where it came from (flag, env, file, default)',
  examples: ['scoped config show', 'scoped config show -p billing -d production -o json'],
  options: [
    ['-p, --project <project>', 'deployment project, as resolve would see it'],
    ['-d, --domain <domain>', 'deployment domain, as resolve would see it'],
  ],
  build: (_args, flags) => scopeFlagsOf(flags),
  // The deployment flags count as the deployment commands' do: before SCOPED_PROJECT and the files.
  run: (ctx, flags) => runConfigShow(ctx.withDeploymentFlags(flags)),
});

interface Row {
  setting: string;
  /** A number for numeric settings (timeout), as -o json shows it. */
  value: string | number | null;
  source: string;
}

export function configRows(config: Config, env: Record<string, string | undefined>): Row[] {
  const rows: Row[] = [];
  for (const [name, s] of Object.entries(config)) {
    if (name === 'files') continue;
    const { value, source } = s as { value: string | number | undefined; source: string };
    // Named as in the config file (endpoint-url, role-arn), so what you see is what you can write.
    rows.push({ setting: SETTINGS[name as SettingName].file, value: value ?? null, source });
  }
  // The key itself is a secret: say only whether it is set and where from.
  rows.push({
    setting: 'local-key',
    value: env.SCOPED_LOCAL_KEY ? '(set)' : `${config.home.value}/local.key`,
    source: env.SCOPED_LOCAL_KEY ? 'env SCOPED_LOCAL_KEY' : 'default',
  });
  return rows;
}

/**
 * What the commands that use them refuse, refused here too (one line, exit 2), so a setup checked with
 * `config show` is not told all is well: the deployment's project and domain (as resolve checks them), and on
 * aws the region, as the AWS store checks it when none of --regions (checked while loading) replaces it.
 * A flag the backend does not use (`--region` on local) is shown, not refused: nothing is read with it.
 */
function checkAsUsed(config: Config): void {
  checkDeploymentNames(config);
  const { backend, region, regions } = config;
  if (backend.value === 'aws' && regions.value === undefined && region.value !== undefined) checkRegion(region.value, region.source);
}

export async function runConfigShow(ctx: Context): Promise<void> {
  const config = await ctx.config();
  checkAsUsed(config);
  const rows = configRows(config, ctx.io.env);
  if (config.files.length > 0) ctx.debug(`config files: ${config.files.join(', ')}`);
  await printRows(
    ctx,
    [
      { header: 'SETTING', get: (r) => r.setting },
      { header: 'VALUE', get: (r) => (r.value === null ? '-' : String(r.value)) },
      { header: 'SOURCE', get: (r) => r.source },
    ],
    rows,
    () => ({ settings: Object.fromEntries(rows.map((r) => [r.setting, { value: r.value, source: r.source }])), files: config.files }),
  );
}
