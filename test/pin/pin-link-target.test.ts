/**
 * A link entry's recorded target in a pin file (format 1, optional `target`): written only for links,
 * read back exactly, checked strictly when present (a Secrets Manager ARN, a field name), absent in older
 * pins (still valid); the pin's protect label ignores it, so a scoped that predates it computes the same
 * label. And the value cache keeps a target read by ARN apart from any name's entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { pinLabel } from '../../src/history/protect.js';
import { formatPin, parsePin, PIN_FORMAT, type Pin } from '../../src/pin/pin-file.js';
import { CachingStore, ValueCache } from '../../src/store/cache/value-cache.js';
import type { ReadResult, SecretStore } from '../../src/store/types.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b-AbCdEf';
const V = '0f0e5a1c-1b2d-4c3e-8f9a-0123456789ab';

const PIN: Pin = {
  format: PIN_FORMAT,
  org: 'acme',
  prefix: 'scoped/',
  backend: 'aws',
  deployment: { org: 'acme', project: 'billing', domain: 'production' },
  created: '2026-11-30T12:00:00.000Z',
  secrets: [
    { key: 'DB_PASSWORD', scope: { org: 'acme', project: 'billing' }, name: 'scoped/acme/billing/_/DB_PASSWORD', versionId: V, target: { arn: ARN, field: 'password' } },
    { key: 'API_KEY', scope: { org: 'acme' }, name: 'scoped/acme/_/_/API_KEY', versionId: 'b'.repeat(32), target: { arn: ARN } },
    { key: 'TOKEN', scope: { org: 'acme' }, name: 'scoped/acme/_/_/TOKEN', versionId: 'a'.repeat(32) },
  ],
};

function edited(change: (doc: { secrets: Record<string, unknown>[] }) => void): string {
  const doc = JSON.parse(formatPin(PIN)) as { secrets: Record<string, unknown>[] };
  change(doc);
  return JSON.stringify(doc);
}

function refusal(text: string): string {
  try {
    parsePin('p.json', text);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('accepted');
}

describe("a pin's link targets", () => {
  it('are written only for links (arn, and field when there is one), still format 1, and read back exactly', () => {
    const text = formatPin(PIN);
    const doc = JSON.parse(text) as { format: number; secrets: Record<string, unknown>[] };
    expect(doc.format).toBe(1);
    expect(doc.secrets.map((e) => e.target)).toEqual([{ arn: ARN }, { arn: ARN, field: 'password' }, undefined]);
    expect(doc.secrets[2]).not.toHaveProperty('target');
    expect(parsePin('p.json', text).secrets.find((e) => e.key === 'DB_PASSWORD')?.target).toEqual({ arn: ARN, field: 'password' });
    expect(formatPin(parsePin('p.json', text))).toBe(text);
  });

  it('a pin without targets (written before they were recorded) is valid, its entries without one', () => {
    const old = parsePin(
      'p.json',
      edited((d) => d.secrets.forEach((e) => delete e.target)),
    );
    expect(old.secrets.every((e) => e.target === undefined)).toBe(true);
  });

  it('a target present is checked: an object, a Secrets Manager ARN, a field name', () => {
    const withTarget = (i: number, target: unknown) => refusal(edited((d) => void ((d.secrets[i] as Record<string, unknown>).target = target)));
    expect(withTarget(0, 'arn')).toContain('secrets[0].target must be an object');
    expect(withTarget(0, {})).toContain('secrets[0].target."arn" must be a non-empty string');
    expect(withTarget(0, { arn: 'arn:aws:s3:::bucket' })).toContain('secrets[0].target.arn "arn:aws:s3:::bucket" is not a Secrets Manager secret ARN');
    expect(withTarget(1, { arn: ARN, field: 7 })).toContain('secrets[1].target.field must be a string');
    expect(withTarget(1, { arn: ARN, field: '' })).toContain('secrets[1].target.field "" is not a field name');
  });

  it("the protect label ignores targets: the same pin without them (an older scoped's view) has the same label", () => {
    const without: Pin = { ...PIN, secrets: PIN.secrets.map(({ target: _t, ...e }) => e) };
    expect(pinLabel(PIN)).toBe(pinLabel(without));
    expect(pinLabel(PIN)).not.toBe(pinLabel({ ...PIN, secrets: PIN.secrets.slice(1) }));
  });
});

describe('the value cache and link targets', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scoped-pin-target-cache-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("keeps a target's version by ARN, never served for a name with the same text and version, nor the other way", async () => {
    const cache = new ValueCache(join(root, 'values'), Buffer.alloc(32, 4), 'aws:us-east-1');
    const reads: string[] = [];
    const backend = {
      readArn: async (arn: string, s?: { versionId?: string }): Promise<ReadResult> => {
        reads.push(`arn ${arn}`);
        return { name: arn, value: 'target-value', versionId: s?.versionId as string, stages: [] };
      },
      getValue: async (name: string, s?: { versionId?: string }): Promise<ReadResult> => {
        reads.push(`name ${name}`);
        return { name, value: 'own-value', versionId: s?.versionId as string, stages: [] };
      },
    } as unknown as SecretStore;
    const store = new CachingStore('aws', cache, async () => backend);
    expect((await store.readArn(ARN, { versionId: V })).value).toBe('target-value');
    expect((await store.readArn(ARN, { versionId: V })).value).toBe('target-value');
    expect(reads).toEqual([`arn ${ARN}`]);
    // The same text as a name: another entry.
    expect(cache.get(ARN, V)).toBeUndefined();
    expect((await store.getValue(ARN, { versionId: V })).value).toBe('own-value');
    expect((await store.readArn(ARN, { versionId: V })).value).toBe('target-value');
    // Another version of the target: read.
    await store.readArn(ARN, { versionId: 'c'.repeat(32) });
    expect(reads).toEqual([`arn ${ARN}`, `name ${ARN}`, `arn ${ARN}`]);
    // A read by stage is never kept nor served from the cache.
    await store.readArn(ARN, { versionStage: 'AWSCURRENT' });
    expect(reads).toHaveLength(4);
  });
});
