// Types for the aws-sdk-client-mock matchers that vitest.config.ts registers (setupFiles). vitest 3
// declares Assertion in @vitest/expect, so the package's own augmentation of 'vitest' does not reach it.
import type { CustomMatcher } from 'aws-sdk-client-mock-vitest';

declare module '@vitest/expect' {
  interface Assertion<T = any> extends CustomMatcher<T> {}
}
