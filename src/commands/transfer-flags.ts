import { ON_CONFLICT } from '../import/plan.js';

/**
 * `--on-conflict` and `--dry-run` of the commands that write a planned set of keys into one scope (`import`,
 * `copy secret`), both read by import/plan.ts and import/transfer.ts. `exists`: how the command says a key
 * that is already there.
 */
export function transferOptions(exists: string) {
  return [
    ['--on-conflict <what>', `a key that ${exists} with another value: fail (write nothing), skip it, or update it`, { choices: ON_CONFLICT, default: 'fail' }],
    ['--dry-run', 'print the plan (create / update / unchanged / skip per key) and write nothing'],
  ] as const;
}
