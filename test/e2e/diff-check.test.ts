/** diff and check as users run them: the built binary in a temp HOME (npm run build first). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { binSandbox } from '../helpers/bin.js';

const CANARY = 'canary-e2e-3c1f-never-printed';

describe('diff and check, end to end', () => {
  let sb: ReturnType<typeof binSandbox>;
  afterEach(() => sb?.cleanup());

  function create(key: string, value: string, ...flags: string[]): void {
    const r = sb.run(['create', 'secret', key, ...flags], { stdin: value });
    expect(r.code, r.stderr).toBe(0);
  }

  it('diff: differences on stdout, --exit-code 1 when they differ and 0 when not, 2 for a bad address', () => {
    sb = binSandbox();
    create('DB_URL', CANARY, '-p', 'billing', '-d', 'staging');
    create('DB_URL', `${CANARY}2`, '-p', 'billing', '-d', 'production');
    create('TOKEN', CANARY);
    const r = sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code']);
    expect(r).toMatchObject({ code: 1, stdout: 'DB_URL\tproject-domain\tproject-domain\tdiffer\n', stderr: '' });
    expect(sb.run(['diff', 'billing/staging', 'search/staging', '--exit-code', '--debug']).code).toBe(1);
    expect(sb.run(['diff', 'search/staging', 'search/production', '--exit-code']).code).toBe(0);
    const bad = sb.run(['diff', 'billing', 'billing/production']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('scoped: invalid deployment "billing"; write a deployment as PROJECT/DOMAIN, e.g. billing/production\n');
    const json = sb.run(['diff', 'billing/staging', 'billing/production', 'search/dev', '--all', '-o', 'json', '--debug']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ deployments: ['billing/staging', 'billing/production', 'search/dev'] });
    for (const out of [r, json]) expect(out.stdout + out.stderr).not.toContain('canary');
  });

  it('check: a CI gate reading .scoped.yaml; exit 3 with the report, 0 once fixed', () => {
    sb = binSandbox();
    writeFileSync(join(sb.home, '.scoped.yaml'), 'org: acme\nrequired: [DB_URL, TOKEN]\ndeployments: [billing/staging, billing/production]\n');
    create('TOKEN', CANARY);
    create('DB_URL', CANARY, '-p', 'billing', '-d', 'staging');
    const r = sb.run(['check']);
    expect(r).toMatchObject({ code: 3, stdout: 'billing/production\tDB_URL\tmissing\n' });
    expect(r.stderr).toMatch(/^scoped: check failed: 1 problem in 1 of 2 deployments \(1 missing\); create it, e\.g\.: scoped create secret DB_URL -p billing -d production/);
    create('DB_URL', 'x', '-p', 'billing');
    const ok = sb.run(['check']);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    expect(ok.stderr).toContain('2 deployments resolve all 2 required keys');
    expect(r.stdout + r.stderr + ok.stderr).not.toContain('canary');
  });
});
