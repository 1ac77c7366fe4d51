import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// `config show` refuses what the commands that use a setting refuse (review s28, finding 3): an invalid
// project or domain from a flag, the environment or the repository file, and on aws an invalid region. A CI
// step that checks its setup with `config show -o json` is told what resolve would tell it: the same one
// line, exit 2, nothing on stdout.
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

const NAME_RULE = 'use lower-case letters, digits and inner hyphens, 1-63 characters';

describe('config show: the deployment and the region checked as the commands that use them check them', () => {
  it.each([
    ['-p BAD', ['-p', 'BAD'], {}, `invalid project name "BAD": ${NAME_RULE}`],
    ['-d _', ['-d', '_'], {}, `invalid domain name "_": ${NAME_RULE}`],
    ['-p "has space" -d _ (the project first)', ['-p', 'has space', '-d', '_'], {}, `invalid project name "has space": ${NAME_RULE}`],
    ['SCOPED_PROJECT=BAD', [], { SCOPED_PROJECT: 'BAD' }, `invalid project name "BAD": ${NAME_RULE} (from env SCOPED_PROJECT)`],
    ['SCOPED_DOMAIN=Prod', [], { SCOPED_DOMAIN: 'Prod' }, `invalid domain name "Prod": ${NAME_RULE} (from env SCOPED_DOMAIN)`],
  ])('%s: exit 2, one line, stdout empty, as resolve says it', async (_what, flags, env, line) => {
    for (const output of [[], ['-o', 'json']]) {
      const r = await sb.run([...output, 'config', 'show', ...flags], { env });
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${line}\n` });
    }
    const resolve = await sb.run(['resolve', ...flags], { env });
    expect(resolve).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${line}\n` });
  });

  it('a bad project in .scoped.yaml: named with the file, as resolve names it', async () => {
    const file = join(sb.dir, '.scoped.yaml');
    writeFileSync(file, 'project: BAD\ndomain: production\n');
    const r = await sb.run(['config', 'show', '-o', 'json']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `scoped: invalid project name "BAD": ${NAME_RULE} (from file ${file})\n` });
    expect((await sb.run(['resolve'])).stderr).toBe(r.stderr);
    // A flag takes its place, as it does for resolve: then all is well.
    const flagged = await sb.run(['config', 'show', '-o', 'json', '-p', 'billing']);
    expect(flagged.code).toBe(0);
    expect(JSON.parse(flagged.stdout).settings.project).toEqual({ value: 'billing', source: 'flag --project' });
  });

  it.each([
    ['--region mars-1', ['--backend', 'aws', '--region', 'mars-1'], {}, 'invalid AWS region "mars-1" (from flag --region)'],
    ['AWS_REGION=mars-1', ['--backend', 'aws'], { AWS_REGION: 'mars-1' }, 'invalid AWS region "mars-1" (from env AWS_REGION)'],
  ])('on aws, %s: exit 2, one line, stdout empty, as the AWS store says it', async (_what, flags, env, message) => {
    const line = `scoped: ${message}; use a region code such as eu-west-1\n`;
    const r = await sb.run([...flags, '-o', 'json', 'config', 'show'], { env });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: line });
    // resolve refuses it the same way, before any request (no endpoint, no credentials here).
    expect(await sb.run([...flags, 'resolve'], { env })).toMatchObject({ code: 2, stdout: '', stderr: line });
  });

  it('valid settings still show, a region on aws included, and an ambient bad AWS_REGION on local is not refused', async () => {
    const aws = await sb.run(['--backend', 'aws', '--region', 'eu-west-1', '-o', 'json', 'config', 'show', '-p', 'billing', '-d', 'production']);
    expect(aws).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(aws.stdout).settings).toMatchObject({
      region: { value: 'eu-west-1', source: 'flag --region' },
      project: { value: 'billing', source: 'flag --project' },
      domain: { value: 'production', source: 'flag --domain' },
    });
    // The local store never uses the region; resolve does not refuse it either.
    const local = await sb.run(['-o', 'json', 'config', 'show'], { env: { AWS_REGION: 'mars-1' } });
    expect(local.code).toBe(0);
    expect((await sb.run(['resolve'], { env: { AWS_REGION: 'mars-1' } })).code).toBe(0);
  });
});
