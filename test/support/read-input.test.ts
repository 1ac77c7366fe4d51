import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMIT } from '../../src/cli/value-source.js';
import { UsageError } from '../../src/errors.js';
import { readBounded } from '../../src/support/read-input.js';

const usageAsync = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).line();
};

describe('bounded reading', () => {
  it('stops a source that never ends past the limit, and destroys it', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1 << 20;
        this.push(Buffer.alloc(1 << 20, 0x41));
      },
    });
    expect(await usageAsync(readBounded(async () => endless, 'stdin', undefined, IMPORT_LIMIT))).toMatch(
      /the import source from stdin is longer than the limit of 33,554,432 bytes/,
    );
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThanOrEqual(IMPORT_LIMIT.read + (3 << 20));
  });
  it('reads a source at the limit whole', async () => {
    const small = { ...IMPORT_LIMIT, read: 16, stated: 16 };
    const bytes = await readBounded(async () => Readable.from([Buffer.alloc(10), Buffer.alloc(6)]), 'x', undefined, small);
    expect(bytes.length).toBe(16);
    expect(await usageAsync(readBounded(async () => Readable.from([Buffer.alloc(17)]), 'x', undefined, small))).toMatch(/longer than the limit/);
  });
});
