import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth, fitTable, recordLines, tableWidth } from '../../src/cli/table-fit.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const widest = (text: string) => Math.max(...plain(text).split('\n').map(displayWidth));

describe('fitTable (pure)', () => {
  const headers = ['KEY', 'SCOPE', 'DESCRIPTION'];
  const rows = [['A_RATHER_LONG_KEY_NAME', 'project-domain', 'x'.repeat(120)]];

  it('leaves a table that fits, or one with no terminal width, as it is', () => {
    expect(fitTable(headers, [['K', 'org', 'short']], 80)).toEqual({ kind: 'table' });
    expect(fitTable(headers, rows, undefined)).toEqual({ kind: 'table' });
  });

  it('keeps the first column whole and shortens the widest others to fit exactly', () => {
    const layout = fitTable(headers, rows, 80);
    expect(layout.kind).toBe('table');
    const widths = (layout as { widths: number[] }).widths;
    expect(widths[0]).toBe('A_RATHER_LONG_KEY_NAME'.length);
    expect(widths[1]).toBe('project-domain'.length);
    expect(tableWidth(widths)).toBe(80);
  });

  it('is one block per row when even short columns cannot fit', () => {
    expect(fitTable(headers, rows, 40)).toEqual({ kind: 'records' });
    const text = recordLines(headers, rows, 40, (s) => s);
    expect(text.split('\n')[0]).toBe('KEY          A_RATHER_LONG_KEY_NAME');
    expect(widest(text)).toBeLessThanOrEqual(40);
    expect(text.replace(/\s+/g, '')).toContain('x'.repeat(120));
  });

  it('counts wide characters as two columns', () => {
    expect(displayWidth('密码')).toBe(4);
    expect(displayWidth('é')).toBe(1);
  });
});

describe('tables on a terminal of 200, 80 and 40 columns', () => {
  let sb: Sandbox;
  const keys = ['DATABASE_URL', 'API_TOKEN', 'STRIPE_WEBHOOK_SIGNING_SECRET'];
  const description = 'Rotated monthly by the platform team; used by the billing workers and the nightly reconciliation job (see runbook RB-114)';

  beforeAll(async () => {
    sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
    for (const [i, key] of keys.entries()) {
      for (const scope of [[], ['-p', 'billing-service'], ['-p', 'billing-service', '-d', 'production-eu-west']]) {
        const r = await sb.run(['create', 'secret', key, '--from-file', '-', ...scope, '--description', `${description} #${i}`, '--tag', 'team=payments-platform'], {
          stdin: `value-${i}`,
        });
        expect(r.code).toBe(0);
      }
    }
  });
  afterAll(() => sb.cleanup());

  const table = async (argv: string[], columns: number) => {
    const r = await sb.run(argv, { tty: true, columns });
    expect(r.code).toBe(0);
    return plain(r.stdout);
  };

  it('200 columns: a table; only the descriptions are cut, with an ellipsis', async () => {
    const out = await table(['get', 'secret', '--all'], 200);
    expect(widest(out)).toBe(200);
    const lines = out.split('\n').filter((l) => l.startsWith('│ ') && !l.startsWith('│ KEY'));
    expect(lines).toHaveLength(9);
    for (const line of lines) {
      const cells = line
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim());
      expect(keys).toContain(cells[0]);
      expect(cells.slice(0, 5).join('')).not.toContain('…');
      expect(cells[5]).toMatch(/^Rotated monthly by the platform team.*…$/);
    }
    expect(out).toContain('production-eu-west');
  });

  it('80 columns: resolve --explain is a table that fits, keys whole, long cells cut with an ellipsis', async () => {
    const out = await table(['resolve', '-p', 'billing-service', '-d', 'production-eu-west', '--explain'], 80);
    expect(widest(out)).toBe(80);
    const rows = out.split('\n').filter((l) => l.startsWith('│ ') && !l.startsWith('│ KEY'));
    expect(rows.map((l) => l.split('│')[1]?.trim()).sort()).toEqual([...keys].sort());
    for (const row of rows) expect(row).toMatch(/│ project-domain │ project bil\S*… │ project \(pr\S*… │$/);
  });

  it.each([80, 40])('%i columns: get secret --all is one block per row, every value whole, keys never cut', async (columns) => {
    const out = await table(['get', 'secret', '--all'], columns);
    expect(out).not.toContain('…');
    expect(
      widest(
        out
          .split('\n')
          .filter((l) => !l.startsWith('KEY'))
          .join('\n'),
      ),
    ).toBeLessThanOrEqual(columns);
    for (const key of keys) expect(out.split('\n').filter((l) => l === `KEY          ${key}`)).toHaveLength(3);
    expect(out.replace(/\s+/g, ' ')).toContain(`${description} #2`);
    expect(out.split('\n\n')).toHaveLength(9);
  });

  it('40 columns: resolve --explain blocks wrap the shadows list', async () => {
    const out = await table(['resolve', '-p', 'billing-service', '-d', 'production-eu-west', '--explain'], 40);
    expect(widest(out)).toBeLessThanOrEqual(40);
    for (const key of keys) expect(out).toContain(`KEY      ${key}\n`);
    expect(out.replace(/\s+/g, ' ')).toContain('SHADOWS project (project billing-service); org (org default)');
  });

  it('piped, nothing changes: tab-separated lines, whole', async () => {
    const r = await sb.run(['get', 'secret', '--all'], { columns: 40 });
    expect(r.stdout.split('\n')[0]?.split('\t')).toHaveLength(6);
    expect(r.stdout).toContain(`${description} #0`);
  });
});
