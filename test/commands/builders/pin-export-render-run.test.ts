/** argv -> options for pin and the --pinned flag of run/export/render. */
import { describe, expect, it } from 'vitest';
import { buildExportOptions } from '../../../src/commands/export.js';
import { buildPinOptions } from '../../../src/commands/pin.js';
import { buildRenderOptions } from '../../../src/commands/render.js';
import { buildRunOptions } from '../../../src/commands/run.js';

describe('pin options', () => {
  it('default file, --out, - for stdout', () => {
    expect(buildPinOptions({})).toEqual({ project: undefined, domain: undefined, out: 'scoped.pin.json', protect: false, unprotect: undefined });
    expect(buildPinOptions({ project: 'p', domain: 'd', out: 'r.json' })).toEqual({ project: 'p', domain: 'd', out: 'r.json', protect: false, unprotect: undefined });
    expect(buildPinOptions({ out: '-' }).out).toBe('-');
  });

  it('--protect; --unprotect FILE alone (no --out, --protect or -p/-d)', () => {
    expect(buildPinOptions({ protect: true }).protect).toBe(true);
    expect(buildPinOptions({ unprotect: 'old.pin.json' }).unprotect).toBe('old.pin.json');
    expect(() => buildPinOptions({ unprotect: 'old.pin.json', out: 'x.json' })).toThrow(/--unprotect FILE takes no --out/);
    expect(() => buildPinOptions({ unprotect: 'old.pin.json', protect: true })).toThrow(/takes no --protect/);
    expect(() => buildPinOptions({ unprotect: 'old.pin.json', project: 'p' })).toThrow(/takes no -p\/-d/);
  });

  it('refuses any -o (an empty --out is refused by the flag guard, with every empty value: test/commands/pin.test.ts)', () => {
    expect(() => buildPinOptions({}, 'json')).toThrow(/-o json does not apply to pin/);
  });

  it('--pinned reaches run, export and render options', () => {
    expect(buildRunOptions(['env'], { pinned: 'p.json' }).pinned).toBe('p.json');
    expect(buildExportOptions({ pinned: 'p.json' }).pinned).toBe('p.json');
    expect(buildRenderOptions(['t'], { pinned: 'p.json' }).pinned).toBe('p.json');
    expect(buildExportOptions({}).pinned).toBeUndefined();
  });

  it('render: the template and the pin cannot both be stdin', () => {
    expect(() => buildRenderOptions(['-'], { pinned: '-' })).toThrow(/cannot both come from stdin/);
    expect(buildRenderOptions(['-'], { pinned: 'p.json' }).pinned).toBe('p.json');
  });
});
