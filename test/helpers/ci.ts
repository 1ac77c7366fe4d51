/**
 * The one answer to "are the tests running under CI?" for every test and helper: CI set to anything but
 * '', '0' or 'false' (any case, spaces ignored). Under CI a missing tool (moto, a shell, the AWS CLI) is a
 * failing test; elsewhere the tests needing it skip loudly.
 */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && !['', '0', 'false'].includes(value);
}
