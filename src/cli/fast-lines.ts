/**
 * The lines the fast path may answer: `--version` (or `-V`) alone, help (`--help`, `-h`, no words at all),
 * a Tab (`__complete`) and `completion <shell>`. bin/scoped.cjs sends the same lines to the fast entry (dist/bundle/fast.cjs) and
 * test/e2e/completion/fast-entry.test.ts holds the two equal. What the fast path then declines goes to commander.
 */
export function wantsFast(argv: readonly string[]): boolean {
  return argv.length === 0 || argv[0] === '__complete' || argv[0] === 'completion' || argv[0] === '--version' || argv[0] === '-V' || argv.includes('--help') || argv.includes('-h');
}
