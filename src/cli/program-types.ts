import type { Command } from 'commander';
import type { Context } from './context.js';

/**
 * The types a command module needs to register itself. They live apart from program.ts, which imports
 * every command module, so that no command imports the file that imports it.
 */

/**
 * Runs a command's work with a Context built from the parsed global options. It may return an exit code
 * (`run` passes its child's through); otherwise success is 0.
 */
export type Handler = (ctx: Context, args: string[], opts: Record<string, unknown>) => Promise<void | number>;

export interface Program {
  root: Command;
  /** Wraps a handler as a commander action. */
  action(handler: Handler): (...args: unknown[]) => Promise<void>;
  /** The `create`, `get`, ... verb commands, created on first use. */
  verb(name: string, description: string): Command;
  /** The exit code the handler returned, if it returned one. */
  exitCode: number | undefined;
}
