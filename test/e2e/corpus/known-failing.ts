/**
 * Cases of the corpus that fail on the current build, each with the issue 18 item (or DESIGN.md rule) it
 * waits for: `['case name', 'reason']`. The test runs them with `it.fails`, so a fix makes the test fail
 * until its line here goes. Empty: every case passes.
 */
export const KNOWN_FAILING: ReadonlyMap<string, string> = new Map<string, string>([]);
