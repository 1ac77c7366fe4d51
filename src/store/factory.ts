/**
 * The backends import StoreLog from here; it lives in ./log.js. Kept as a type-only re-export so the
 * backends (owned elsewhere) need no edit, and so no backend imports create-store.ts, which imports them.
 * Delete once src/store/local and src/store/aws import from ./log.js.
 */
export type { StoreLog } from './log.js';
