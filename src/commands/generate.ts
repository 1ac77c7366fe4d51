import { UsageError } from '../errors.js';
import { passwordRules, DEFAULT_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, type PasswordRules } from '../core/password.js';
import type { Context } from '../cli/context.js';
import { writeRevealed } from '../cli/reveal.js';
import type { SecretStore } from '../store/types.js';

/**
 * `--generate` of `create secret` and `set secret`: a random value under GetRandomPassword's rules
 * (core/password.ts), made by the store (GetRandomPassword on aws, node:crypto locally), never printed
 * unless `--reveal`.
 */
export const GENERATE_OPTIONS = [
  ['--generate', "store a random value (GetRandomPassword's rules on both backends) instead of one given"],
  ['--length <N>', `with --generate: characters, 1 to ${MAX_PASSWORD_LENGTH} (default ${DEFAULT_PASSWORD_LENGTH})`],
  ['--exclude-chars <S>', 'with --generate: characters never used'],
  ['--no-punctuation', 'with --generate: letters and digits only'],
  ['--require-each-type', 'with --generate: at least one lower-case and upper-case letter, digit (and punctuation)'],
  ['--reveal', 'with --generate: print the value made (on stdout, alone)'],
] as const;

export interface GenerateFlags {
  generate?: true | undefined;
  length?: string | undefined;
  excludeChars?: string | undefined;
  punctuation?: boolean | undefined;
  requireEachType?: true | undefined;
  reveal?: true | undefined;
}

export interface Generate {
  rules: PasswordRules;
  reveal: boolean;
}

/** The rules, or undefined without --generate; the flags that need it, or a value given too, refused (exit 2). */
export function buildGenerate(flags: GenerateFlags, given: { value?: string | undefined; fromFile?: string | undefined }): Generate | undefined {
  const needing = [
    flags.length !== undefined && '--length',
    flags.excludeChars !== undefined && '--exclude-chars',
    flags.punctuation === false && '--no-punctuation',
    flags.requireEachType === true && '--require-each-type',
    flags.reveal === true && '--reveal',
  ].filter((f): f is string => f !== false);
  if (flags.generate !== true) {
    if (needing.length > 0) throw new UsageError(`${needing[0]} applies to --generate`, 'add --generate, or leave it out');
    return undefined;
  }
  if (given.value !== undefined) throw new UsageError('--generate makes the value: give no VALUE', 'leave out VALUE, or --generate');
  if (given.fromFile !== undefined) throw new UsageError('--generate makes the value: give no --from-file', 'leave out --from-file, or --generate');
  const rules = passwordRules({
    length: flags.length,
    excludeChars: flags.excludeChars,
    noPunctuation: flags.punctuation === false,
    requireEachType: flags.requireEachType === true,
  });
  return { rules, reveal: flags.reveal === true };
}

export async function generatedValue(store: SecretStore, g: Generate): Promise<string> {
  return store.randomPassword(g.rules);
}

/** The value made, on stdout only when asked for. */
export function revealGenerated(ctx: Context, g: Generate, value: string): void {
  if (g.reveal) writeRevealed(ctx, value, { raw: false, endLine: true });
}
