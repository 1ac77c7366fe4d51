/**
 * `create secret --kms-key-id` that is not a KMS key is refused before anything happens: no hidden prompt
 * for the value, no request to Secrets Manager (the store applies the same rule, store/aws/inputs.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { testIO } from '../helpers/io.js';
import { sm } from '../helpers/mock-store.js';

const dir = mkdtempSync(join(tmpdir(), 'scoped-kms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ENV = {
  HOME: dir,
  XDG_CONFIG_HOME: join(dir, 'config'),
  SCOPED_BACKEND: 'aws',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
};

describe('create secret --kms-key-id: a malformed id is refused before the prompt and before any request', () => {
  it.each([
    ['key/1234', 'scoped: invalid --kms-key-id "key/1234"; give a KMS key id, key ARN, alias/NAME or alias ARN\n'],
    ['alias/a b', 'scoped: --kms-key-id "alias/a b" contains whitespace; give a key id, alias/NAME or key ARN\n'],
  ])('%j', async (id, line) => {
    // On a terminal with no value given: a value would be asked for at a hidden prompt (an answer is ready).
    const io = testIO({ tty: true, cwd: dir, env: ENV, answers: ['s3cret-typed'] });
    const code = await main(['create', 'secret', 'NEW_KEY', '--kms-key-id', id], io);
    expect([code, io.stdout.text, io.stderr.text]).toEqual([2, '', line]);
    expect(io.prompts).toEqual([]);
    expect(sm.calls()).toHaveLength(0);
  });

  it('a well-formed id goes on to the check for a free key and then the prompt (so the test above can fail)', async () => {
    const io = testIO({ tty: true, cwd: dir, env: ENV, answers: ['s3cret-typed'] });
    sm.onAnyCommand().rejects(Object.assign(new Error('stop here'), { name: 'ResourceNotFoundException', $metadata: {} }));
    await main(['create', 'secret', 'NEW_KEY', '--kms-key-id', 'alias/team-key'], io);
    expect(io.prompts.length).toBe(1);
    expect(sm.calls().length).toBeGreaterThan(0);
  });
});
