import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDeploymentAddress, parseDeploymentAddress } from '../../src/core/address.js';
import { loadCheckLists, loadConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { deploymentsPrefixes } from '../../src/service/deployment.js';
import { layoutColumns } from '../../src/diff/layout.js';
import { checkKeys, requiredWinners, valueProblem } from '../../src/diff/check.js';
import { resolveDeployment } from '../../src/core/resolve.js';

describe('parseDeploymentAddress', () => {
  it.each([
    ['billing/production', { project: 'billing', domain: 'production' }],
    ['a/b', { project: 'a', domain: 'b' }],
    ['x-1/prod-eu-2', { project: 'x-1', domain: 'prod-eu-2' }],
  ])('%s', (text, want) => {
    expect(parseDeploymentAddress(text)).toEqual(want);
    expect(formatDeploymentAddress(want)).toBe(text);
  });

  it.each([
    ['billing', /invalid deployment "billing"$/],
    ['billing/', /domain "" must be/],
    ['/production', /project "" must be/],
    ['a/b/c', /invalid deployment "a\/b\/c"$/],
    ['_/production', /needs a project, not _/],
    ['billing/_', /needs a domain, not _/],
    ['Billing/prod', /project "Billing" must be lower-case/],
    ['billing/prod uction', /domain "prod uction"/],
    ['', /invalid deployment ""/],
  ])('refuses %j with one line naming the form', (text, message) => {
    let err: unknown;
    try {
      parseDeploymentAddress(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(message);
    expect((err as UsageError).line()).toContain('PROJECT/DOMAIN, e.g. billing/production');
    expect((err as UsageError).line()).not.toContain('\n');
  });
});

describe('deploymentsPrefixes', () => {
  const d = (project: string, domain: string) => ({ org: 'acme', project, domain });
  it('lists shared scopes once', () => {
    expect(deploymentsPrefixes('scoped/', [d('billing', 'staging'), d('billing', 'production')]).sort()).toEqual(
      ['scoped/acme/billing/staging/', 'scoped/acme/billing/production/', 'scoped/acme/billing/_/', 'scoped/acme/_/staging/', 'scoped/acme/_/production/', 'scoped/acme/_/_/'].sort(),
    );
    // three unrelated deployments: 3 + 3 + 3 + 1, still one ListSecrets filter (10 values)
    expect(deploymentsPrefixes('scoped/', [d('a', 'x'), d('b', 'y'), d('c', 'z')])).toHaveLength(10);
    // one project in four domains: 4 + 1 + 4 + 1
    expect(deploymentsPrefixes('scoped/', ['dev', 'qa', 'staging', 'production'].map((x) => d('billing', x)))).toHaveLength(10);
  });
});

describe('layoutColumns', () => {
  const rows = ['DB_URL', 'API_TOKEN', 'LOG_LEVEL'];
  const cells = ['pd:a', 'o:a', '-'];
  const deps = ['billing-service/production-eu', 'billing-service/staging-eu', 'search/production-eu', 'search/staging-eu', 'ml/dev'];
  const widest = (lines: string[]) => Math.max(...lines.map((l) => l.length));

  it('keeps one-line headers when they fit', () => {
    const lines = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.slice(0, 2).map((header) => ({ header, cells })), width: 80 });
    expect(lines[0]).toMatch(/^KEY\s+billing-service\/production-eu\s+billing-service\/staging-eu$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^DB_URL\s+pd:a\s+pd:a$/);
  });

  it('wraps headers at / and then splits into blocks, within 80 columns', () => {
    const lines = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.map((header) => ({ header, cells })), width: 80 });
    expect(widest(lines)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^\s+billing-service\/\s+billing-service\/\s+search\/\s+search\/\s+ml\/$/);
    expect(lines[1]).toMatch(/^KEY\s+production-eu\s+staging-eu\s+production-eu\s+staging-eu\s+dev$/);
    const narrow = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.map((header) => ({ header, cells })), width: 40 });
    expect(widest(narrow)).toBeLessThanOrEqual(40);
    // every block repeats every key, and every deployment appears once
    expect(narrow.filter((l) => l.startsWith('DB_URL'))).toHaveLength(narrow.filter((l) => l === '').length + 1);
    for (const dep of deps) expect(narrow.join('\n')).toContain(dep.split('/')[1]);
  });

  it('never truncates a key, even one wider than the terminal', () => {
    const long = `K_${'X'.repeat(100)}`;
    const lines = layoutColumns({ keyHeader: 'KEY', keys: [long, 'A'], columns: deps.map((header) => ({ header, cells: ['pd:a', '-'] })), width: 80 });
    expect(lines.filter((l) => l.startsWith(long))).toHaveLength(deps.length);
    // one deployment per block: the key column alone is wider than the terminal
    expect(lines.filter((l) => l === '')).toHaveLength(deps.length - 1);
  });

  it('pads outside the style, so colour codes do not shift columns', () => {
    const bold = (t: string) => `<${t}>`;
    const lines = layoutColumns({ keyHeader: 'KEY', keys: ['A'], columns: [{ header: 'x/y', cells: ['pd:a'] }], width: 80, bold });
    expect(lines[0]).toBe('<KEY>  <x/y>');
  });
});

describe('check findings', () => {
  it('missing, binary (bytes or NUL), blank; fine otherwise', () => {
    expect(valueProblem('x')).toBeUndefined();
    expect(valueProblem(' \n\t')).toBe('empty');
    expect(valueProblem('a\0b')).toBe('binary');
    expect(valueProblem(new Uint8Array([65]))).toBe('binary');
    const d = { org: 'acme', project: 'p', domain: 'd' };
    const cands = [{ scope: { org: 'acme' }, key: 'A', name: 'n/A' }, { scope: { org: 'acme' }, key: 'B', name: 'n/B' }];
    const winners = requiredWinners(['A', 'B', 'C'], [resolveDeployment(d, cands)]);
    const found = checkKeys(['A', 'B', 'C'], winners, new Map<string, string | Uint8Array>([['n/A', 'ok'], ['n/B', new Uint8Array([1])]]));
    expect(found[0]?.map((k) => [k.key, k.problem ?? null])).toEqual([['A', null], ['B', 'binary'], ['C', 'missing']]);
  });
});

describe('config: required and deployments', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-cfg-'));
    writeFileSync(join(dir, '.scoped.yaml'), text);
    return { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') };
  };

  it('reads both lists, validated, from the repository file', async () => {
    const env = write('org: acme\nrequired: [DB_URL, API_TOKEN]\ndeployments:\n  - billing/staging\n  - billing/production\n');
    const config = await loadConfig({}, env, dir);
    const lists = await loadCheckLists(config.files);
    expect(lists.required).toEqual({ value: ['DB_URL', 'API_TOKEN'], source: `file ${join(dir, '.scoped.yaml')}` });
    expect(lists.deployments?.value).toEqual([{ project: 'billing', domain: 'staging' }, { project: 'billing', domain: 'production' }]);
  });

  it.each([
    ['required: DB_URL\n', /required must be a non-empty list of keys; e\.g\. required: \[DB_URL, API_TOKEN\]/],
    ['required: []\n', /required must be a non-empty list/],
    ['required: [DB-URL]\n', /required\[0\]: invalid key "DB-URL"/],
    ['deployments: [billing]\n', /deployments\[0\]: invalid deployment "billing"; write a deployment as PROJECT\/DOMAIN/],
    ['deployments: [{project: a}]\n', /deployments must be a non-empty list of PROJECT\/DOMAIN deployments/],
    ['require: [A]\n', /unknown setting "require"; known settings: .*required, deployments/],
  ])('refuses %j with one line naming the file', async (text, message) => {
    const env = write(text);
    const err: unknown = await loadConfig({}, env, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toMatch(message);
    expect((err as UsageError).line()).toContain(join(dir, '.scoped.yaml'));
  });
});

describe('readCandidates', () => {
  it('reads each name once and names a failed secret by key and scope, keeping its error class', async () => {
    const { readCandidates } = await import('../../src/service/deployment.js');
    const { AccessDeniedError } = await import('../../src/errors.js');
    const calls: string[][] = [];
    const store = {
      getValues: async (names: readonly string[]) => {
        calls.push([...names]);
        return {
          values: new Map([['n/A', { name: 'n/A', value: 'secret-a', versionId: 'v', stages: [] }]]),
          errors: new Map([['n/B', new AccessDeniedError('access denied to n/B')]]),
        };
      },
    } as unknown as import('../../src/store/types.js').SecretStore;
    const a = { scope: { org: 'acme' }, key: 'A', name: 'n/A' };
    const b = { scope: { org: 'acme', project: 'p' }, key: 'B', name: 'n/B' };
    const err: unknown = await readCandidates(store, [a, b, a]).catch((e: unknown) => e);
    expect(calls).toEqual([['n/A', 'n/B']]);
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect((err as Error).message).toBe('cannot read B at org acme, project p (access denied to n/B)');
    expect(String(err)).not.toContain('secret-a');
  });
});

describe('oddCells', () => {
  it('marks the cells fewer deployments share than the row\'s most common value (or absence)', async () => {
    const { oddCells } = await import('../../src/diff/present.js');
    const cell = (group: number) => ({ scope: 'org' as const, name: 'n', group });
    expect(oddCells({ key: 'K', status: 'differ', cells: [cell(0), cell(1), cell(0)] })).toEqual([false, true, false]);
    expect(oddCells({ key: 'K', status: 'missing', cells: [cell(0), undefined, undefined, cell(0), undefined] })).toEqual([true, false, false, true, false]);
    expect(oddCells({ key: 'K', status: 'same', cells: [cell(0), cell(0), cell(0)] })).toEqual([false, false, false]);
    expect(oddCells({ key: 'K', status: 'missing', cells: [cell(0), undefined] })).toEqual([false, true]);
    expect(oddCells({ key: 'K', status: 'differ', cells: [cell(0), cell(1)] })).toEqual([false, false]);
  });

  it('colours inside the padding on a terminal', async () => {
    const { layoutColumns } = await import('../../src/diff/layout.js');
    const y = (t: string) => `[${t}]`;
    const lines = layoutColumns({ keyHeader: 'KEY', keys: ['A', 'B'], columns: [{ header: 'a/b', cells: ['pd:a', '-'], styles: [undefined, y] }, { header: 'c/d', cells: ['o:a', 'o:a'] }], width: 80 });
    expect(lines).toEqual(['KEY  a/b   c/d', 'A    pd:a  o:a', 'B    [-]     o:a']);
  });
});
