import type { Config } from '../../config.js';
import { AccessDeniedError, ScopedError, UnavailableError } from '../../errors.js';
import type { StoreLog } from '../log.js';
import { awsSettings, buildClient, quietLogger, retryPolicy } from './client.js';

/**
 * CloudTrail's LookupEvents for `history --who`: the SDK loaded only here (a command without --who never
 * imports it), with the Secrets Manager client's region and credentials (profile, assumed role). Errors
 * leave as ours; the caller turns them into one line, since who wrote a version is extra to the history.
 */

/** One event as `history --who` needs it: the full record is CloudTrail's JSON (`detail`). */
export interface TrailEvent {
  name: string;
  time?: Date | undefined;
  user?: string | undefined;
  detail?: string | undefined;
}

export interface TrailPage {
  events: TrailEvent[];
  next?: string | undefined;
}

/** One page of the events on a resource (by its ARN) since `start`. */
export type TrailLookup = (arn: string, start: Date, next?: string) => Promise<TrailPage>;

/** The most LookupEvents returns per page. */
export const TRAIL_PAGE_SIZE = 50;

export const TRAIL_PERMISSION = 'cloudtrail:LookupEvents';

/** A CloudTrail failure as ours: no permission (exit 5, naming it), anything else unavailable (exit 6). */
export function trailError(err: unknown): ScopedError {
  if (err instanceof ScopedError) return err;
  const name = (err as { name?: unknown }).name;
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return new AccessDeniedError(`CloudTrail refused LookupEvents (${String(name)})`, `who wrote each version needs ${TRAIL_PERMISSION}`, { cause: err });
  }
  return new UnavailableError(`CloudTrail's LookupEvents failed (${typeof name === 'string' ? name : 'no answer'})`, 'try --who again later', { cause: err });
}

/** The region in a Secrets Manager ARN (`arn:aws:secretsmanager:REGION:...`): CloudTrail is regional too. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region !== undefined && region !== '' ? region : undefined;
}

export async function createTrailLookup(config: Config, env: Record<string, string | undefined>, log: StoreLog): Promise<TrailLookup> {
  const settings = awsSettings(config, env);
  const policy = retryPolicy(settings);
  // Built for its region and credentials only: no request is sent with it.
  const base = await buildClient(settings, log, policy);
  const { CloudTrailClient, LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const clients = new Map<string, InstanceType<typeof CloudTrailClient>>();
  const clientFor = async (arn: string) => {
    const region = regionOfArn(arn) ?? (await base.config.region());
    let client = clients.get(region);
    if (client === undefined) {
      // The endpoint is CloudTrail's own (AWS_ENDPOINT_URL_CLOUDTRAIL / AWS_ENDPOINT_URL, read by the SDK), not --endpoint-url.
      client = new CloudTrailClient({ region, credentials: base.config.credentials, logger: quietLogger(log), maxAttempts: policy.maxAttempts });
      clients.set(region, client);
    }
    return client;
  };
  return async (arn, start, next) => {
    const started = Date.now();
    try {
      const out = await (
        await clientFor(arn)
      ).send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }],
          StartTime: start,
          MaxResults: TRAIL_PAGE_SIZE,
          NextToken: next,
        }),
        { abortSignal: policy.deadline.signal },
      );
      const events = (out.Events ?? []).map((e) => ({ name: e.EventName ?? '', time: e.EventTime, user: e.Username, detail: e.CloudTrailEvent }));
      log.debug(`aws LookupEvents ${events.length} events${out.NextToken ? ', more' : ''} in ${Date.now() - started} ms`);
      return { events, next: out.NextToken };
    } catch (err) {
      log.debug(`aws LookupEvents failed: ${(err as Error).name} after ${Date.now() - started} ms`);
      throw trailError(err);
    }
  };
}
