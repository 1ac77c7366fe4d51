/** Hooks for the debug log: backends report what they do (names and counts, never values). */
export interface StoreLog {
  debug(line: string): void;
}
