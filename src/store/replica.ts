import { ConflictError } from '../errors.js';

/**
 * A change refused because the region holds a replica: Secrets Manager changes a secret only in its
 * primary region. `--region PRIMARY` is what to run it with. Thrown by the AWS store, and by commands
 * that see `replicaOf` in a description before asking the store to change anything.
 */
export function readOnlyReplica(name: string, primary: string, region: string | undefined, cause?: unknown): ConflictError {
  return new ConflictError(
    'replica',
    `secret ${name} is a replica of ${primary}, read-only${region !== undefined ? ` in ${region}` : ''}: Secrets Manager changes it only in its primary region`,
    `run it against the primary region: add --region ${primary}`,
    { cause },
  );
}
