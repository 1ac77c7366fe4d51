import type { Config } from '../config.js';
import type { StoreLog } from './log.js';
import type { TrailLookup } from './aws/trail.js';

export type { TrailEvent, TrailLookup, TrailPage } from './aws/trail.js';

/**
 * Who wrote a version, from CloudTrail (the AWS backend only): the store-level entry for `history --who`,
 * so code outside store/ never imports a backend. CloudTrail's SDK is loaded only when this is called.
 */
export async function createTrailLookup(config: Config, env: Record<string, string | undefined>, log: StoreLog): Promise<TrailLookup> {
  const aws = await import('./aws/trail.js');
  return aws.createTrailLookup(config, env, log);
}
