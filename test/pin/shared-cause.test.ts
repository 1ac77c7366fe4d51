/**
 * Failures with one shared cause (no credentials, the time limit, an endpoint that is down) across many
 * keys: the cause is said once, after the keys it stopped. And a `--pinned` read against a dead endpoint
 * stops as early as a plain read does: the same per-attempt limits, and no read started after the first
 * one failed for want of the endpoint (counted requests, not timings).
 */
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, ExitCode, NotFoundError, UnavailableError, type ScopedError } from '../../src/errors.js';
import { formatPin, PIN_FORMAT, type Pin, type PinEntry } from '../../src/pin/pin-file.js';
import { PINNED_CONCURRENCY, readPinned } from '../../src/pin/pinned-read.js';
import { failure, NAMED_FAILURES } from '../../src/service/deployment.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { sandbox } from '../helpers/io.js';
import { freePort, motoStore } from '../helpers/moto.js';

const KEYS = PINNED_CONCURRENCY * 2 + 3;
const FAST = { connectionTimeout: 300, requestTimeout: 400 };
const NET_HINT = 'check --endpoint-url / --region and the network, then try again';

const entries: PinEntry[] = Array.from({ length: KEYS }, (_, i) => {
  const key = `KEY_${String(i).padStart(3, '0')}`;
  return { key, scope: { org: 'acme' }, name: `scoped/acme/_/_/${key}`, versionId: `${String(i).padStart(8, '0')}-1b2d-4c3e-8f9a-0123456789ab` };
});
const pin: Pin = { format: PIN_FORMAT, org: 'acme', prefix: 'scoped/', backend: 'aws', deployment: { org: 'acme' }, created: '2026-11-30T12:00:00.000Z', secrets: entries };
const named = `${entries
  .slice(0, NAMED_FAILURES)
  .map((e) => `${e.key} at org acme`)
  .join(', ')}, and ${KEYS - NAMED_FAILURES} more`;

const rejection = async (work: () => Promise<unknown>) =>
  (await work().then(
    () => undefined,
    (e: unknown) => e,
  )) as ScopedError;

describe('failure(): one shared cause is said once', () => {
  const at = (k: string) => `${k} at org acme`;
  it('the same unavailability for every key: once, after the keys (the first five named)', () => {
    const cause = 'Secrets Manager GetSecretValue did not finish within the time limit of 5 s (flag --timeout)';
    const keys = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const err = failure(keys.map((k) => ({ what: `${at(k)} (${cause})`, at: at(k), cause, error: new UnavailableError(cause, 'raise it') }))) as ScopedError;
    expect(err.line()).toBe(`cannot read 7 secrets (${keys.slice(0, 5).map(at).join(', ')}, and 2 more): ${cause}; raise it`);
    expect(err.exitCode).toBe(ExitCode.unavailable);
  });

  it('no usable credentials for every key: once (exit 5)', () => {
    const cause = 'no usable AWS credentials';
    const err = failure(['A', 'B'].map((k) => ({ what: `${at(k)} (${cause})`, at: at(k), cause, error: new AccessDeniedError(cause) }))) as ScopedError;
    expect(err.message).toBe(`cannot read 2 secrets (${at('A')}, ${at('B')}): ${cause}`);
    expect(err.exitCode).toBe(ExitCode.accessDenied);
  });

  it('causes that differ, or are about each secret (not found), stay per key', () => {
    const errs = [
      { what: 'A at org acme (secret A not found)', at: at('A'), cause: 'secret A not found', error: new NotFoundError('secret A not found') },
      { what: 'B at org acme (secret B not found)', at: at('B'), cause: 'secret B not found', error: new NotFoundError('secret B not found') },
    ];
    expect(failure(errs).message).toBe('cannot read 2 secrets: A at org acme (secret A not found); B at org acme (secret B not found)');
    const same = [0, 1].map(() => ({ what: 'x', at: at('A'), cause: 'not found', error: new NotFoundError('not found') }));
    expect(failure(same).message).toBe('cannot read 2 secrets: x; x');
  });
});

describe('--pinned against an endpoint that never answers', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy('http://127.0.0.1:9');
    proxy.inject({ kind: 'hang' });
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.counts.clear();
  });

  it('the same cause and attempts as a plain read, said once, and no read started after the first failed', async () => {
    const plain = await rejection(async () => (await motoStore(proxy.endpoint, { timeouts: FAST })).list(['scoped/']));
    expect(plain.line()).toBe(`Secrets Manager at ${proxy.endpoint} did not answer in time (ETIMEDOUT on ListSecrets); ${NET_HINT}`);
    const plainAttempts = proxy.counts.get('ListSecrets');

    const store = await motoStore(proxy.endpoint, { timeouts: FAST });
    const err = await rejection(() => readPinned(store, entries, 'p.json'));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(
      `cannot read ${KEYS} secrets (${named}): Secrets Manager at ${proxy.endpoint} did not answer in time (ETIMEDOUT on GetSecretValue) (pin file p.json); ${NET_HINT}`,
    );
    // The first reads in flight at once, each with the plain read's attempts; none after them.
    expect(proxy.counts.get('GetSecretValue')).toBeLessThanOrEqual(PINNED_CONCURRENCY * (plainAttempts ?? 0));
    expect(proxy.counts.get('GetSecretValue')).toBeLessThan(KEYS * (plainAttempts ?? 0));
  });
});

describe('--pinned against a port that refuses connections', () => {
  let server: Server;
  let refusing: string;
  let accepted = 0;
  beforeAll(async () => {
    // A listener that takes each connection and closes it at once: counted, and never an answer.
    server = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    refusing = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('names the cause once, as a plain read does', async () => {
    const plain = await rejection(async () => (await motoStore(refusing, { timeouts: FAST })).list(['scoped/']));
    expect(plain.line()).toBe(`cannot reach Secrets Manager at ${refusing} (ECONNREFUSED on ListSecrets); ${NET_HINT}`);
    const err = await rejection(async () => readPinned(await motoStore(refusing, { timeouts: FAST }), entries, 'p.json'));
    expect(err.line()).toBe(`cannot read ${KEYS} secrets (${named}): cannot reach Secrets Manager at ${refusing} (ECONNREFUSED on GetSecretValue) (pin file p.json); ${NET_HINT}`);
  });

  it('a server that hangs up on every connection: counted connections stop with the first wave', async () => {
    const { port } = server.address() as { port: number };
    const endpoint = `http://127.0.0.1:${port}`;
    accepted = 0;
    await rejection(async () => (await motoStore(endpoint, { timeouts: FAST, random: () => 0 })).list(['scoped/']));
    const plainAttempts = accepted;
    accepted = 0;
    const err = await rejection(async () => readPinned(await motoStore(endpoint, { timeouts: FAST, random: () => 0 }), entries, 'p.json'));
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.line()).toMatch(new RegExp(`^cannot read ${KEYS} secrets \\(${named}\\): `));
    expect(accepted).toBeLessThanOrEqual(PINNED_CONCURRENCY * plainAttempts);
  });
});

describe('the CLI: no credentials for any key of a pin', () => {
  it('one line, the cause once, exit 5', async () => {
    const sb = sandbox({ PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    const home = mkdtempSync(join(tmpdir(), 'scoped-nocreds-'));
    try {
      writeFileSync(join(sb.dir, 'p.json'), formatPin(pin));
      const saved = {
        id: process.env.AWS_ACCESS_KEY_ID,
        secret: process.env.AWS_SECRET_ACCESS_KEY,
        config: process.env.AWS_CONFIG_FILE,
        creds: process.env.AWS_SHARED_CREDENTIALS_FILE,
      };
      // The SDK reads process.env for credentials: none there either, and no profile files.
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_CONFIG_FILE = join(home, 'none');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'none');
      try {
        const r = await sb.run(['--backend', 'aws', '--org', 'acme', '--endpoint-url', 'http://127.0.0.1:9', 'export', '--pinned', 'p.json', '--format', 'json']);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`scoped: cannot read ${KEYS} secrets (${named}): no usable AWS credentials`);
        expect(r.code).toBe(ExitCode.accessDenied);
      } finally {
        process.env.AWS_ACCESS_KEY_ID = saved.id;
        process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
        if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
        else process.env.AWS_CONFIG_FILE = saved.config;
        if (saved.creds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
        else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.creds;
      }
    } finally {
      sb.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
