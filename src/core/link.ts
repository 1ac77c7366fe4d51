import { NotFoundError, StoreCorruptError, UsageError } from '../errors.js';
import { isRegion, partitionOf } from './aws-partitions.js';

/**
 * Links: a scope entry whose value is read from another secret, named by its full ARN (another region or
 * account, an AWS-managed `rds!...` secret), optionally one top-level field of a JSON value. Pure: no I/O.
 *
 * What marks a link is the `scoped:link` tag, in the store's metadata (ListSecrets and DescribeSecret carry
 * it on AWS; the shard entry's tags on the local store). Users cannot set `scoped:` tags, so a stored value
 * is never taken for a link, whatever its text. The link's own value is its record (`encodeLink`): what it
 * points at, never the target's value.
 */
export const TAG_LINK = 'scoped:link';
/** The tag's value: the record's format, so a later format can be told apart. */
export const LINK_TAG_VALUE = '1';

export interface LinkTarget {
  /** The target's ARN (full or partial: Secrets Manager takes both; `link` stores the one DescribeSecret answers). */
  arn: string;
  /** One top-level field of a JSON-object value; the whole value when absent. */
  field?: string | undefined;
}

export interface SecretArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  /** The secret id after `secret:` (a full ARN ends in `-` and six characters). */
  resource: string;
}

/** ARN length: Secrets Manager's SecretARNType is 20..2048. */
export const MAX_ARN = 2048;
/** A field name is a JSON key; kept to one printable line of reasonable length. */
export const MAX_FIELD = 256;

const ARN_RE = /^arn:([a-z][a-z0-9-]*):secretsmanager:([^:]*):([^:]*):secret:(.+)$/s;
// Control characters and whitespace never belong to an ARN; `!` does (rds!db-..., service-owned names).
const BAD_ARN_CHAR = /[\s\p{Cc}]/u;

export const ARN_EXAMPLE = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:NAME-AbCdEf';

const ARN_SHAPE = 'arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME';

/** The text as a message quotes it: a long one cut short, with its length. */
function quoted(text: string): string {
  return text.length <= 100 ? JSON.stringify(text) : `${JSON.stringify(`${text.slice(0, 60)}…`)} (${text.length} characters)`;
}

/**
 * The parts of a Secrets Manager secret ARN; a usage error (exit 2) naming what is wrong otherwise. The
 * shape is checked first (a name or another service's ARN is told so), then each part, then the length.
 */
export function parseSecretArn(text: string): SecretArn {
  const bad = (why: string, hint = `use the secret's full ARN, e.g. ${ARN_EXAMPLE}`) => new UsageError(`--arn ${quoted(text)} is not a Secrets Manager secret ARN: ${why}`, hint);
  if (!text.startsWith('arn:')) {
    throw bad(
      `it is not an ARN at all (expected ${ARN_SHAPE})`,
      "use the secret's full ARN: `aws secretsmanager describe-secret --secret-id NAME --query ARN --output text` prints it",
    );
  }
  const m = ARN_RE.exec(text);
  if (!m) {
    const service = text.split(':')[2] ?? '';
    throw bad(service === 'secretsmanager' ? `expected ${ARN_SHAPE}` : `it is an ARN of service ${JSON.stringify(service)}, not secretsmanager (expected ${ARN_SHAPE})`);
  }
  if (text.length > MAX_ARN) throw bad(`an ARN is 20 to ${MAX_ARN} characters, and this one is ${text.length}`);
  if (BAD_ARN_CHAR.test(text)) throw bad('it holds a space or control character');
  const [, partition, region, account, resource] = m as unknown as [string, string, string, string, string];
  if (!isRegion(region)) throw bad(`${JSON.stringify(region)} is not a region`);
  if (partitionOf(region) !== partition) throw bad(`region ${region} is in partition ${partitionOf(region)}, not ${partition}`);
  if (!/^\d{12}$/.test(account)) throw bad('the account is 12 digits');
  return { arn: text, partition, region, account, resource };
}

/** A `--field` name: any non-empty JSON key of one printable line. */
export function checkField(field: string): string {
  if (field.length === 0 || field.length > MAX_FIELD || BAD_ARN_CHAR.test(field.replace(/ /g, ''))) {
    throw new UsageError(`--field ${JSON.stringify(field)} is not a field name: 1 to ${MAX_FIELD} characters, no control characters`);
  }
  return field;
}

/** `ARN` or `ARN field F`: how messages and --explain name a target. */
export function describeTarget(t: LinkTarget): string {
  return t.field === undefined ? t.arn : `${t.arn} field ${JSON.stringify(t.field)}`;
}

const FORMAT = 'scoped-link/1';

/** The link's own stored value: what it points at. */
export function encodeLink(t: LinkTarget): string {
  return JSON.stringify(t.field === undefined ? { format: FORMAT, arn: t.arn } : { format: FORMAT, arn: t.arn, field: t.field });
}

/**
 * The record of a secret whose metadata marks it a link. A record that does not parse was not written by
 * scoped (or was damaged): exit 1 naming the secret, with how to repair it.
 */
export function decodeLink(name: string, value: string | Uint8Array): LinkTarget {
  const damaged = () => new StoreCorruptError(`secret ${name} is tagged as a link but its record is not one`, 'retarget it with `scoped link secret KEY --arn ARN`, or delete it');
  if (typeof value !== 'string') throw damaged();
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw damaged();
  }
  if (typeof data !== 'object' || data === null) throw damaged();
  const { format, arn, field } = data as Record<string, unknown>;
  if (format !== FORMAT || typeof arn !== 'string' || (field !== undefined && typeof field !== 'string')) throw damaged();
  try {
    parseSecretArn(arn);
  } catch {
    throw damaged();
  }
  return field === undefined ? { arn } : { arn, field };
}

/** True when the text could be a link record: anything else is certainly a plain value, whatever the tags. */
export function looksLikeLinkRecord(value: string | Uint8Array): boolean {
  return typeof value === 'string' && value.startsWith('{"format":"scoped-link/');
}

/**
 * The value a link gives: the target's whole value, or one top-level field of its JSON object (a string
 * as it is; numbers, booleans, objects and arrays as their JSON text). A missing field or a value that is
 * not a JSON object is one line naming the ARN and the field, never the value (exit 3: the field is not there).
 */
export function linkedValue(t: LinkTarget, value: string | Uint8Array): string | Uint8Array {
  if (t.field === undefined) return value;
  const fields = typeof value === 'string' ? jsonObject(value) : undefined;
  const where = `secret ${t.arn}`;
  if (fields === undefined) {
    return fieldError(`${where} is not a JSON object, so it has no field ${JSON.stringify(t.field)}`);
  }
  if (!Object.prototype.hasOwnProperty.call(fields, t.field) || fields[t.field] === null) {
    return fieldError(`${where} has no field ${JSON.stringify(t.field)}`);
  }
  const v = fields[t.field];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function fieldError(message: string): never {
  throw new NotFoundError(message, 'link another field with `scoped link secret KEY --arn ARN --field F`, or the whole value without --field', { subject: 'target' });
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
