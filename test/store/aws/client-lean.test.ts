/** What a cold AWS command need not run: the SDK's logger middleware (its lines are dropped anyway). */
import { describe, expect, it } from 'vitest';
import { awsSettings, buildClient, regionClient, retryPolicy } from '../../../src/store/aws/client.js';
import { awsConfig } from '../../helpers/moto.js';

const EP = 'http://127.0.0.1:9';
const noLog = { debug: () => undefined };

describe('the Secrets Manager clients', () => {
  it('have no logger middleware: it masks every input and output through the schema for an info line quietLogger drops', async () => {
    const settings = awsSettings(awsConfig(EP), {});
    const policy = retryPolicy(settings);
    const client = await buildClient(settings, noLog, policy);
    const other = regionClient(settings, 'eu-west-1', noLog, policy, client);
    const regionless = await buildClient(awsSettings(awsConfig(EP, { region: { value: undefined, source: 'test' } }), {}), noLog);
    for (const c of [client, other, regionless]) {
      const names = c.middlewareStack.identify();
      expect(names.some((n) => n.startsWith('retryMiddleware'))).toBe(true);
      expect(names.filter((n) => n.startsWith('loggerMiddleware'))).toEqual([]);
      c.destroy();
    }
  });
});
