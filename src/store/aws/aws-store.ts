// Replaced by the AWS backend (issue 3).
import type { Config } from '../../config.js';
import { UsageError } from '../../errors.js';
import type { StoreLog } from '../factory.js';
import type { SecretStore } from '../types.js';

export async function createAwsStore(_config: Config, _env: Record<string, string | undefined>, _log: StoreLog): Promise<SecretStore> {
  throw new UsageError('the aws backend is not available in this build');
}
