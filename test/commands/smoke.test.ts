import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('smoke', () => {
  it('creates and reveals', async () => {
    sb = sandbox();
    expect((await sb.run(['create', 'secret', 'A'], { stdin: 'v1\n' })).code).toBe(0);
    const r = await sb.run(['get', 'secret', 'A', '--reveal']);
    expect(r).toMatchObject({ code: 0, stdout: 'v1' });
  });
});
