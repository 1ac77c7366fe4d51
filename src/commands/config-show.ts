import type { Context } from '../cli/context.js';
import { printRows } from '../cli/output.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { SETTINGS, type Config, type SettingName } from '../config.js';

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

export async function runConfigShow(ctx: Context): Promise<void> {
  const config = await ctx.config();
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

function defineConfig(program: Program) {
  const cmd = program
    .verb('config', 'configuration')
    .command('show')
    .description('every effective setting and where it came from (flag, env, file, default)')
    .option('-p, --project <project>', 'deployment project, as resolve would see it')
    .option('-d, --domain <domain>', 'deployment domain, as resolve would see it');
  withExamples(cmd, [
    'scoped config show',
    'scoped config show -p billing -d production -o json',
  ]);
  return cmd;
}

/** The options as parsed, typed from the definitions above. */
export type ConfigFlags = OptsOf<ReturnType<typeof defineConfig>>;

export function registerConfig(program: Program): void {
  const cmd = defineConfig(program);
  program.action(cmd, (ctx, _args, opts: ConfigFlags) => runConfigShow(ctx.withDeploymentFlags(opts)));
}
