/**
 * The built binary (npm run build first): history, rollback and pin --protect run from the bundle, whose
 * history and protect code is loaded on use, on the local store.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { binSandbox } from '../../helpers/bin.js';

let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
  sb.env.SCOPED_LOCAL_KEY = Buffer.alloc(32, 24).toString('base64');
  sb.env.SCOPED_HOME = join(sb.home, 'store');
});
afterEach(() => sb.cleanup());

it('history, rollback secret, pin --protect and rollback --pinned from the bundle', () => {
  const ok = (args: string[], stdin?: string) => {
    const r = sb.run(args, stdin !== undefined ? { stdin } : {});
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  ok(['create', 'secret', 'API_KEY', '-p', 'web'], 'one');
  ok(['pin', '-p', 'web', '--out', 'one.pin.json', '--protect']);
  ok(['update', 'secret', 'API_KEY', '-p', 'web'], 'two');
  ok(['update', 'secret', 'API_KEY', '-p', 'web'], 'three');
  const history = JSON.parse(ok(['history', 'secret', 'API_KEY', '-p', 'web', '-o', 'json']).stdout) as { versions: { stages: string[] }[] };
  expect(history.versions.map((v) => v.stages.filter((s) => !s.startsWith('scoped-pin-')))).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], []]);
  ok(['rollback', 'secret', 'API_KEY', '-p', 'web', '--previous', '--yes']);
  expect(ok(['get', 'secret', 'API_KEY', '-p', 'web', '--reveal']).stdout).toBe('two');
  ok(['rollback', '--pinned', 'one.pin.json', '--yes']);
  expect(ok(['get', 'secret', 'API_KEY', '-p', 'web', '--reveal']).stdout).toBe('one');
  const refused = sb.run(['rollback', 'secret', 'API_KEY', '-p', 'web', '--previous']);
  expect([refused.code, refused.stdout]).toEqual([2, '']);
});
