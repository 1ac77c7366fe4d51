import type { SecretsManagerOperation } from '../../core/policy.js';
import { UnavailableError } from '../../errors.js';

/**
 * What each Secrets Manager answer scoped sends for must carry: the fields a command relies on. An
 * endpoint that answers HTTP 200 without them (an empty body, `{}`, a stub) is not Secrets Manager, and a
 * command that went on would print "Created" with nothing stored, export nothing, or start a child without
 * its secrets. Checked in one place (`AwsCaller.call`), for every operation: exit 6, one line.
 */

type Answer = Record<string, unknown>;
/** A reason the answer is not Secrets Manager's, or undefined when it has what is relied on. */
type Check = (out: Answer) => string | undefined;

const has = (out: Answer, field: string): boolean => out[field] !== undefined && out[field] !== null && out[field] !== '';
const field =
  (name: string): Check =>
  (out) =>
    has(out, name) ? undefined : `no ${name}`;
/** A list whose every entry has `field` (an entry without it could only be skipped, silently). */
const listOf =
  (name: string, field: string): Check =>
  (out) => {
    const entries = out[name];
    if (!Array.isArray(entries)) return `no ${name}`;
    return entries.every((e) => typeof e === 'object' && e !== null && has(e as Answer, field)) ? undefined : `an entry without ${field} in ${name}`;
  };
const anyOf =
  (...names: string[]): Check =>
  (out) =>
    names.some((n) => has(out, n)) ? undefined : `no ${names.join(' or ')}`;
const all =
  (...checks: Check[]): Check =>
  (out) => {
    const missing = checks.map((c) => c(out)).filter((r) => r !== undefined);
    return missing.length > 0 ? missing.join(', ') : undefined;
  };

/**
 * Per operation. Create and put answer with the version they made; reads with a value and its version;
 * delete with the date it takes effect (a forced delete too); lists with their list (empty is fine).
 * The SDK drops unknown fields and keeps absent ones absent, so `{}` and an empty body both fail here.
 */
export const REQUIRED: Readonly<Record<SecretsManagerOperation, Check>> = {
  CreateSecret: field('VersionId'),
  PutSecretValue: field('VersionId'),
  UpdateSecret: anyOf('ARN', 'Name'),
  RestoreSecret: anyOf('ARN', 'Name'),
  DescribeSecret: anyOf('ARN', 'Name'),
  GetSecretValue: all(field('VersionId'), anyOf('SecretString', 'SecretBinary')),
  BatchGetSecretValue: (out) => (Array.isArray(out.SecretValues) || Array.isArray(out.Errors) ? undefined : 'no SecretValues'),
  ListSecrets: listOf('SecretList', 'Name'),
  ListSecretVersionIds: listOf('Versions', 'VersionId'),
  DeleteSecret: (out) => (out.DeletionDate instanceof Date && !Number.isNaN(out.DeletionDate.getTime()) ? undefined : 'no DeletionDate'),
  RemoveRegionsFromReplication: anyOf('ARN', 'ReplicationStatus'),
  GetRandomPassword: field('RandomPassword'),
  UpdateSecretVersionStage: anyOf('ARN', 'Name'),
};

/** The answer's fault as one line (exit 6), or undefined when it carries what `op` relies on. */
export function checkAnswer(op: string, out: unknown, endpoint: string | undefined): UnavailableError | undefined {
  const check = (REQUIRED as Readonly<Record<string, Check | undefined>>)[op];
  if (check === undefined) return undefined;
  const why = typeof out === 'object' && out !== null ? check(out as Answer) : 'no answer';
  if (why === undefined) return undefined;
  const where = endpoint !== undefined ? `the endpoint ${endpoint}` : 'the endpoint';
  return new UnavailableError(
    `${where} did not answer like Secrets Manager (${why} in its ${op} answer)`,
    'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL',
  );
}
