/** The CloudTrail edge of `history --who` on a mocked client: the request it sends, and its errors as ours. */
import { CloudTrailClient, CloudTrailServiceException, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, UnavailableError } from '../../../src/errors.js';
import { createTrailLookup, regionOfArn, TRAIL_PAGE_SIZE } from '../../../src/store/aws/trail.js';
import { awsTestEnv } from '../../helpers/aws-env.js';
import { awsConfig } from '../../helpers/moto.js';

const ct = mockClient(CloudTrailClient);
beforeEach(() => ct.reset());

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/_/_/KEY-AbCdEf';
const lookup = () => createTrailLookup(awsConfig('http://127.0.0.1:9'), awsTestEnv('http://127.0.0.1:9'), { debug: () => undefined });

const refuse = (name: string, status: number) =>
  new CloudTrailServiceException({ name, message: `${name}: injected`, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

describe('CloudTrail LookupEvents (mocked)', () => {
  it("asks by the secret's ARN, from the start given, a page at a time, in the ARN's region", async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [{ EventName: 'PutSecretValue', Username: 'ana', CloudTrailEvent: '{}' }], NextToken: 'more' });
    const start = new Date('2026-09-01T00:00:00Z');
    const page = await (await lookup())(ARN, start, 'tok');
    expect(page).toEqual({ events: [{ name: 'PutSecretValue', user: 'ana', detail: '{}', time: undefined }], next: 'more' });
    const [call] = ct.commandCalls(LookupEventsCommand);
    expect(call?.args[0].input).toEqual({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: ARN }],
      StartTime: start,
      MaxResults: TRAIL_PAGE_SIZE,
      NextToken: 'tok',
    });
    expect(await (call?.thisValue as CloudTrailClient).config.region()).toBe('eu-west-1');
    expect(regionOfArn(ARN)).toBe('eu-west-1');
  });

  it('AccessDenied is exit 5 naming cloudtrail:LookupEvents; anything else is unavailable (exit 6)', async () => {
    ct.on(LookupEventsCommand).rejects(refuse('AccessDeniedException', 400));
    const denied = await (await lookup())(ARN, new Date()).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect((denied as AccessDeniedError).line()).toContain('needs cloudtrail:LookupEvents');
    ct.reset();
    ct.on(LookupEventsCommand).rejects(refuse('InvalidLookupAttributesException', 400));
    expect(await (await lookup())(ARN, new Date()).catch((e: unknown) => e)).toBeInstanceOf(UnavailableError);
  });
});
