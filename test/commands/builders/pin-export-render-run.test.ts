/** argv -> options for pin and the --pinned flag of run/export/render. */
import { describe, expect, it } from 'vitest';
import { exportCommand } from '../../../src/commands/export.js';
import { pinCommand } from '../../../src/commands/pin.js';
import { renderCommand } from '../../../src/commands/render.js';
import { runCommand } from '../../../src/commands/run.js';

describe('pin options', () => {
  it('default file, --out, - for stdout', () => {
    expect(pinCommand.build([], {})).toEqual({ project: undefined, domain: undefined, out: 'scoped.pin.json', protect: false, unprotect: undefined });
    expect(pinCommand.build([], { project: 'p', domain: 'd', out: 'r.json' })).toEqual({ project: 'p', domain: 'd', out: 'r.json', protect: false, unprotect: undefined });
    expect(pinCommand.build([], { out: '-' }).out).toBe('-');
  });

  it('--protect; --unprotect FILE alone (no --out, --protect or -p/-d)', () => {
    expect(pinCommand.build([], { protect: true }).protect).toBe(true);
    expect(pinCommand.build([], { unprotect: 'old.pin.json' }).unprotect).toBe('old.pin.json');
    expect(() => pinCommand.build([], { unprotect: 'old.pin.json', out: 'x.json' })).toThrow(/--unprotect FILE takes no --out/);
    expect(() => pinCommand.build([], { unprotect: 'old.pin.json', protect: true })).toThrow(/takes no --protect/);
    expect(() => pinCommand.build([], { unprotect: 'old.pin.json', project: 'p' })).toThrow(/takes no -p\/-d/);
  });

  it('refuses any -o (an empty --out is refused by the flag guard, with every empty value: test/commands/pin.test.ts)', () => {
    expect(() => pinCommand.build([], {}, { output: 'json' })).toThrow(/-o json does not apply to pin/);
  });

  it('--pinned reaches run, export and render options', () => {
    expect(runCommand.build(['env'], { pinned: 'p.json' }).pinned).toBe('p.json');
    expect(exportCommand.build([], { pinned: 'p.json' }).pinned).toBe('p.json');
    expect(renderCommand.build(['t'], { pinned: 'p.json' }).pinned).toBe('p.json');
    expect(exportCommand.build([], {}).pinned).toBeUndefined();
  });

  it('render: the template and the pin cannot both be stdin', () => {
    expect(() => renderCommand.build(['-'], { pinned: '-' })).toThrow(/cannot both come from stdin/);
    expect(renderCommand.build(['-'], { pinned: 'p.json' }).pinned).toBe('p.json');
  });
});
