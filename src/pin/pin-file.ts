import { UsageError } from '../errors.js';
import { secretName } from '../core/naming.js';
import { checkField, parseSecretArn, type LinkTarget } from '../core/link.js';
import { deploymentScopes, isStoredKey, isValidName, KEY_RULE, NAME_RULE, sameScope, type Scope } from '../core/scope.js';

/**
 * A pin file: a deployment's winners (KEY, scope, backend name, version id; never a value) as JSON, so a
 * release can be read back exactly, with no listing. Pure: building, printing and checking the text.
 */

/** Bumped when the shape changes incompatibly; a reader refuses any other. */
export const PIN_FORMAT = 1;
export const DEFAULT_PIN_FILE = 'scoped.pin.json';
/** The flag of run/export/render, so the three take it the same way. */
export const PINNED_FLAG = ['--pinned <FILE>', 'read exactly the versions pinned in FILE (written by scoped pin) by version id, with no listing'] as const;
/** A pin of thousands of keys is well under this; an endless file stops here. */
export const PIN_FILE_LIMIT = 4 * 1024 * 1024;
/**
 * Secrets Manager version ids are 32-64 characters (they are the ClientRequestToken); the local store's are
 * UUIDs (36). Anything else cannot name a version, so the pin is invalid (exit 2) before any read.
 */
const VERSION_ID_RE = /^[A-Za-z0-9_-]{32,64}$/;
export const VERSION_ID_RULE = '32-64 letters, digits, - or _';

/** Whether `id` can name a version (on either backend); anything else is a usage error, never a lookup. */
export function isVersionId(id: string): boolean {
  return VERSION_ID_RE.test(id);
}

export interface PinEntry {
  key: string;
  scope: Scope;
  name: string;
  /** The version read: a link's is its target's. */
  versionId: string;
  /**
   * Set when the winner was a link: the target it pointed at when pinned (ARN, and field if any). A pinned
   * read reads this ARN at `versionId` directly (one GetSecretValue), whatever the link points at since.
   * Optional in format 1: pins written before it was recorded lack it, and are read through the link as
   * before; a scoped that predates it ignores it.
   */
  target?: LinkTarget | undefined;
}

export interface Pin {
  format: typeof PIN_FORMAT;
  org: string;
  prefix: string;
  backend: string;
  deployment: Scope;
  /** ISO 8601, UTC. */
  created: string;
  secrets: PinEntry[];
}

const scopePart = (s: Scope) => ({ project: s.project ?? null, domain: s.domain ?? null });

/** The file's text: stable key order, one entry per key sorted by key, a final newline. */
export function formatPin(pin: Pin): string {
  const doc = {
    format: pin.format,
    org: pin.org,
    prefix: pin.prefix,
    backend: pin.backend,
    deployment: scopePart(pin.deployment),
    created: pin.created,
    secrets: [...pin.secrets]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((e) => ({ key: e.key, scope: scopePart(e.scope), name: e.name, versionId: e.versionId, ...(e.target === undefined ? {} : { target: targetPart(e.target) }) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const targetPart = (t: LinkTarget) => (t.field === undefined ? { arn: t.arn } : { arn: t.arn, field: t.field });

type Json = Record<string, unknown>;

/** A value from the file, quoted and cut short for a message. */
function quoted(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One usage line naming the file and what is wrong in it. */
function bad(file: string, what: string): UsageError {
  return new UsageError(`pin file ${file} is not a valid pin: ${what}`, 'write it again with: scoped pin --out FILE');
}

function text(file: string, doc: Json, field: string, where = ''): string {
  const v = doc[field];
  if (typeof v !== 'string' || v === '') throw bad(file, `${where}"${field}" must be a non-empty string`);
  return v;
}

/** `project` / `domain` of a scope object: a valid name, or null for "any". */
function scopeOf(file: string, org: string, v: unknown, where: string): Scope {
  if (!isObject(v)) throw bad(file, `${where} must be an object with "project" and "domain"`);
  const part = (field: 'project' | 'domain'): string | undefined => {
    const p = v[field];
    if (p === null || p === undefined) return undefined;
    if (typeof p !== 'string' || !isValidName(p)) throw bad(file, `${where}.${field} ${quoted(p)} is not a ${field} name (${NAME_RULE}) or null`);
    return p;
  };
  return { org, project: part('project'), domain: part('domain') };
}

function entryOf(file: string, v: unknown, i: number, head: Omit<Pin, 'secrets' | 'created' | 'format'>): PinEntry {
  const where = `secrets[${i}]`;
  if (!isObject(v)) throw bad(file, `${where} must be an object`);
  const key = text(file, v, 'key', `${where}.`);
  if (!isStoredKey(key)) throw bad(file, `${where}.key ${quoted(key)} is not a KEY (${KEY_RULE})`);
  const scope = scopeOf(file, head.org, v.scope, `${where}.scope`);
  if (!deploymentScopes(head.deployment).some((s) => sameScope(s, scope))) {
    throw bad(file, `${where} (${key}) is at a scope the deployment does not see`);
  }
  const name = text(file, v, 'name', `${where}.`);
  // The name is read as given, so it must be exactly the one scope+KEY map to under the prefix: a pin can
  // never make scoped read a secret outside its prefix or another scope's.
  const expected = secretName(head.prefix, scope, key);
  if (name !== expected) throw bad(file, `${where}.name ${quoted(name)} does not match its scope and key (expected ${JSON.stringify(expected)})`);
  const versionId = text(file, v, 'versionId', `${where}.`);
  if (!isVersionId(versionId)) throw bad(file, `${where}.versionId ${quoted(versionId)} is not a version id (${VERSION_ID_RULE})`);
  if (v.target === undefined) return { key, scope, name, versionId };
  return { key, scope, name, versionId, target: targetOf(file, v.target, `${where}.target`) };
}

/** A link entry's recorded target: a Secrets Manager secret ARN, and a field name if any. */
function targetOf(file: string, v: unknown, where: string): LinkTarget {
  if (!isObject(v)) throw bad(file, `${where} must be an object with "arn" (and "field" for one field)`);
  const arn = text(file, v, 'arn', `${where}.`);
  try {
    parseSecretArn(arn);
  } catch {
    throw bad(file, `${where}.arn ${quoted(arn)} is not a Secrets Manager secret ARN`);
  }
  if (v.field === undefined) return { arn };
  const field = v.field;
  if (typeof field !== 'string') throw bad(file, `${where}.field must be a string`);
  try {
    checkField(field);
  } catch {
    throw bad(file, `${where}.field ${quoted(field)} is not a field name`);
  }
  return { arn, field };
}

/** Parses and checks a pin file's text; every problem is one UsageError naming `file`. */
export function parsePin(file: string, source: string): Pin {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch {
    // Not the parser's message: it quotes the text, and a file given by mistake may hold secrets.
    throw bad(file, 'not JSON (a pin is the JSON that scoped pin writes)');
  }
  if (!isObject(doc)) throw bad(file, 'not a JSON object');
  if (doc.format !== PIN_FORMAT) {
    throw bad(file, `format ${quoted(doc.format ?? null)}, but this scoped reads format ${PIN_FORMAT}`);
  }
  const org = text(file, doc, 'org');
  if (!isValidName(org)) throw bad(file, `org ${quoted(org)} is not an org name (${NAME_RULE})`);
  const prefix = typeof doc.prefix === 'string' ? doc.prefix : text(file, doc, 'prefix');
  const backend = text(file, doc, 'backend');
  const deployment = scopeOf(file, org, doc.deployment, 'deployment');
  const created = text(file, doc, 'created');
  if (!Array.isArray(doc.secrets)) throw bad(file, '"secrets" must be an array');
  const head = { org, prefix, backend, deployment };
  const secrets = doc.secrets.map((e, i) => entryOf(file, e, i, head));
  const seen = new Set<string>();
  for (const e of secrets) {
    if (seen.has(e.key)) throw bad(file, `${e.key} is pinned twice`);
    seen.add(e.key);
  }
  return { format: PIN_FORMAT, ...head, created, secrets };
}
