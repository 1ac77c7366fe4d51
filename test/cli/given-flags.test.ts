import { describe, expect, it } from 'vitest';
import { givenWords, shellWord, withGivenFlags } from '../../src/cli/given-flags.js';

/** Hints name the where-flags the user gave (issue 18): the text rules, pure. */

const TREE = { get: { secret: {}, secrets: {} }, restore: { secret: {} }, run: {}, pin: {} };

describe('withGivenFlags', () => {
  it.each([
    ['list this scope with: scoped get secret', 'list this scope with: scoped get secret --org other'],
    ['list it with: scoped get secret --project p', 'list it with: scoped get secret --org other --project p'],
    ['undo that with: scoped restore secret KEY --project p', 'undo that with: scoped restore secret KEY --org other --project p'],
    ['restore it with `scoped restore secret`', 'restore it with `scoped restore secret --org other`'],
    ['e.g. scoped run -- ./deploy.sh', 'e.g. scoped run --org other -- ./deploy.sh'],
    ['pin again with: scoped pin, or deploy another pin', 'pin again with: scoped pin --org other, or deploy another pin'],
    // Not a command: left alone.
    ['restore it from a backup; scoped will not overwrite it', 'restore it from a backup; scoped will not overwrite it'],
    ['scoped:* tags are set by scoped and AWS', 'scoped:* tags are set by scoped and AWS'],
  ])('%s', (text, expected) => {
    expect(withGivenFlags(text, { words: '--org other', commands: TREE })).toBe(expected);
  });

  it('nothing given: the text as it is', () => {
    expect(withGivenFlags('scoped get secret', { words: '', commands: TREE })).toBe('scoped get secret');
  });

  it('the where-flags only, quoted for a shell where needed; never --timeout', () => {
    expect(givenWords({ org: 'acme', prefix: '', region: 'eu-west-1', timeout: '5', endpointUrl: 'http://127.0.0.1:4566' })).toBe(
      "--org acme --prefix '' --region eu-west-1 --endpoint-url http://127.0.0.1:4566",
    );
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it('never the switches that say how to read (--cache, --fallback, --max-age, --offline): `scoped pin --cache true` is no command', () => {
    expect(givenWords({ org: 'acme', cache: 'true', fallback: 'true', maxAge: '1h', offline: 'true', regions: 'us-east-1,us-west-2' })).toBe(
      '--org acme --regions us-east-1,us-west-2',
    );
  });
});
