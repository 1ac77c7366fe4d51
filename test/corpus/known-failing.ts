/**
 * Cases of the corpus that fail on the current build, each with the issue 18 item (or DESIGN.md rule) it
 * waits for. The test runs them with `it.fails`, so a fix makes the test fail until its line here goes.
 */
export const KNOWN_FAILING: ReadonlyMap<string, string> = new Map<string, string>([
  ['render: 5,000 unknown keys make one short line', 'issue 18 "long lists end with and N more": the line names all 5,000 keys (54 KB)'],
  ['render: bad project', 'DESIGN.md names: an invalid -p is a usage error; render of a template without references never checks it (exit 0)'],
  ['get: --version-id malformed', 'an invalid version id is invalid input (exit 2, as Secrets Manager answers ValidationException on aws and as a pin\'s is); the local store says "no version x" (exit 3)'],
]);
