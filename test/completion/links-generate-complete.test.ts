/** Tab for `link secret` and the --generate flags of create/set secret, through main on the local store. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

let sb: Sandbox;
const complete = async (line: string): Promise<string[]> => {
  const r = await sb.run(['__complete', 'bash', '--', ...line.split(' ')]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
};

beforeAll(async () => {
  sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  expect((await sb.run(['create', 'secret', 'DB_PASSWORD', '--project', 'billing'], { stdin: 'v' })).code).toBe(0);
});
afterAll(() => sb.cleanup());

it('link is a verb with its resource, KEY from the scope on the line, and its flags', async () => {
  expect(await complete('li')).toEqual(['link']);
  expect(await complete('link ')).toEqual(['secret']);
  expect(await complete('link secret --project billing D')).toEqual(['DB_PASSWORD']);
  expect(await complete('link secret K --a')).toEqual(['--arn']);
  expect(await complete('link secret K --fi')).toEqual(['--field']);
});

it("--generate's flags on create and set secret; --rotate on set alone", async () => {
  expect(await complete('create secret K --gen')).toEqual(['--generate']);
  expect(await complete('create secret K --no-p')).toEqual(['--no-punctuation']);
  expect(await complete('set secret K --rot')).toEqual(['--rotate']);
  expect(await complete('create secret K --rot')).toEqual([]);
});
