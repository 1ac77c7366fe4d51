import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatPin, parsePin, PIN_FORMAT, type Pin } from '../../src/pin/pin-file.js';

const PIN: Pin = {
  format: PIN_FORMAT,
  org: 'acme',
  prefix: 'scoped/',
  backend: 'aws',
  deployment: { org: 'acme', project: 'billing', domain: 'production' },
  created: '2026-11-30T12:00:00.000Z',
  secrets: [
    { key: 'TOKEN', scope: { org: 'acme', project: 'billing' }, name: 'scoped/acme/billing/_/TOKEN', versionId: 'a'.repeat(32) },
    { key: 'DB_URL', scope: { org: 'acme' }, name: 'scoped/acme/_/_/DB_URL', versionId: '0f0e5a1c-1b2d-4c3e-8f9a-0123456789ab' },
  ],
};

/** The pin's JSON with `change` applied to the parsed document. */
function edited(change: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(formatPin(PIN));
  change(doc);
  return JSON.stringify(doc);
}

function refusal(text: string): string {
  try {
    parsePin('release.pin.json', text);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const line = (err as UsageError).line();
    expect(line).toContain('pin file release.pin.json');
    expect(line).not.toContain('\n');
    return line;
  }
  throw new Error('accepted');
}

describe('pin file', () => {
  it('round-trips, sorted by key, with the format, org, prefix, backend, deployment and time', () => {
    const text = formatPin(PIN);
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['format', 'org', 'prefix', 'backend', 'deployment', 'created', 'secrets']);
    expect(doc.deployment).toEqual({ project: 'billing', domain: 'production' });
    expect(doc.secrets.map((s: { key: string }) => s.key)).toEqual(['DB_URL', 'TOKEN']);
    expect(doc.secrets[0]).toEqual({ key: 'DB_URL', scope: { project: null, domain: null }, name: 'scoped/acme/_/_/DB_URL', versionId: PIN.secrets[1]?.versionId });
    const back = parsePin('f', text);
    expect(back.secrets.map((s) => s.key)).toEqual(['DB_URL', 'TOKEN']);
    expect(back.secrets[1]?.scope).toEqual({ org: 'acme', project: 'billing', domain: undefined });
    expect(back.deployment).toEqual(PIN.deployment);
  });

  it.each([
    ['not JSON', '{"format": 1,', /not JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    ['another format version', edited((d) => (d.format = 2)), /format 2, but this scoped reads format 1/],
    ['no format', edited((d) => delete d.format), /format null/],
    ['a bad org', edited((d) => (d.org = 'Acme!')), /org "Acme!" is not an org name/],
    ['no backend', edited((d) => delete d.backend), /"backend" must be a non-empty string/],
    ['a bad deployment', edited((d) => (d.deployment = { project: 'a_b', domain: null })), /deployment.project "a_b"/],
    ['secrets not an array', edited((d) => (d.secrets = {})), /"secrets" must be an array/],
    ['a bad KEY', edited((d) => (d.secrets[0].key = 'DB-URL')), /secrets\[0\].key "DB-URL" is not a KEY/],
    [
      'a name outside the prefix',
      edited((d) => (d.secrets[0].name = 'prod/db/password')),
      /secrets\[0\].name "prod\/db\/password" does not match its scope and key \(expected "scoped\/acme\/_\/_\/DB_URL"\)/,
    ],
    ['a name of another key', edited((d) => (d.secrets[0].name = 'scoped/acme/_/_/TOKEN')), /does not match its scope and key/],
    ['a name of another org', edited((d) => (d.secrets[0].name = 'scoped/other/_/_/DB_URL')), /does not match/],
    [
      'a scope the deployment does not see',
      edited((d) => {
        d.secrets[0].scope = { project: 'web', domain: null };
        d.secrets[0].name = 'scoped/acme/web/_/DB_URL';
      }),
      /DB_URL\) is at a scope the deployment does not see/,
    ],
    ['a bad version id', edited((d) => (d.secrets[0].versionId = '../../etc')), /versionId "..\/..\/etc" is not a version id/],
    ['a key pinned twice', edited((d) => d.secrets.push({ ...d.secrets[0] })), /DB_URL is pinned twice/],
  ])('refuses %s in one line naming the file', (_what, text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it('never quotes the parser (which would quote a file given by mistake, values included)', () => {
    const line = refusal('DB_PASSWORD=hunter2-canary\n');
    expect(line).not.toContain('canary');
  });

  it('cuts long values short in messages', () => {
    const line = refusal(edited((d) => (d.secrets[0].key = 'x'.repeat(500))));
    expect(line).toContain('x'.repeat(70));
    expect(line).not.toContain('x'.repeat(100));
  });
});
