import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';

// -o given to a command whose output has no shape to choose: exit 2, one line, through main.
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'DB_URL'], { stdin: 'first' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

describe('-o where it has no shape', () => {
  it.each([
    [['get', 'secret', 'DB_URL', '--reveal', '-o', 'json'], '-o json does not apply to get secret --reveal; the value is printed alone, exactly as stored'],
    [['resolve', 'DB_URL', '--reveal', '-o', 'yaml'], '-o yaml does not apply to resolve --reveal; the value is printed alone, exactly as stored'],
    [['policy', '-o', 'table'], '-o table does not apply to policy; it prints JSON, or YAML with -o yaml'],
    [['completion', 'bash', '-o', 'json'], '-o json does not apply to completion; it prints a shell script'],
  ])('%j: exit 2, one line', async (argv, line) => {
    expect(await sb.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${line}\n` });
  });
});
