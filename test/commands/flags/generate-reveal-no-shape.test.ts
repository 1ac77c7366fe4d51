/**
 * `create secret --generate --reveal` and `set secret --generate [--rotate] --reveal` print the value made
 * alone, so -o json / -o yaml / -o table do not apply, as for `get secret --reveal` and `resolve --reveal`:
 * exit 2, one line, nothing on stdout, nothing written. Through main on the local store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'EXISTING'], { stdin: 'first-value' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

const HINT = 'the value is printed alone, exactly as stored';

describe('--generate --reveal with -o', () => {
  it.each([
    [['create', 'secret', 'NEW_KEY', '--generate', '--reveal', '-o', 'json'], `-o json does not apply to create secret --generate --reveal; ${HINT}`],
    [['create', 'secret', 'NEW_KEY', '--generate', '--reveal', '-o', 'yaml'], `-o yaml does not apply to create secret --generate --reveal; ${HINT}`],
    [['set', 'secret', 'NEW_KEY', '--generate', '--reveal', '-o', 'json'], `-o json does not apply to set secret --generate --reveal; ${HINT}`],
    [['set', 'secret', 'NEW_KEY', '--generate', '--reveal', '-o', 'yaml'], `-o yaml does not apply to set secret --generate --reveal; ${HINT}`],
  ])('%j: exit 2, one line, nothing created', async (argv, line) => {
    expect(await sb.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${line}\n` });
    expect((await sb.run(['get', 'secret', 'NEW_KEY'])).code).toBe(3);
  });

  it('set --generate --rotate --reveal -o json on an existing key: exit 2, the value untouched', async () => {
    const r = await sb.run(['set', 'secret', 'EXISTING', '--generate', '--rotate', '--reveal', '-o', 'json']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `scoped: -o json does not apply to set secret --generate --reveal; ${HINT}\n` });
    expect((await sb.run(['get', 'secret', 'EXISTING', '--reveal'])).stdout).toBe('first-value');
  });

  it('without -o, --reveal still prints the value alone; -o json without --reveal still prints the shape', async () => {
    const shown = await sb.run(['create', 'secret', 'SHOWN', '--generate', '--reveal']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^\S{32}$/);
    expect(shown.stderr).not.toContain(shown.stdout.trim());
    const json = await sb.run(['set', 'secret', 'EXISTING', '--generate', '--rotate', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ key: 'EXISTING', action: 'updated' });
  });
});
