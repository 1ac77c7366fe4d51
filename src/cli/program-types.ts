import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';
import type { Context } from './context.js';

/**
 * The types a command module needs to register itself. They live apart from program.ts, which imports
 * every command module, so that no command imports the file that imports it.
 */

/** The options a command's definitions produce (`cmd.opts()`), typed by @commander-js/extra-typings. */
export type OptsOf<C extends CommandUnknownOpts> = ReturnType<C['opts']>;

/**
 * Runs a command's work with a Context built from the parsed global options. `opts` is typed from the
 * command's own option definitions, so a renamed flag is a compile error. It may return an exit code
 * (`run` passes its child's through); otherwise success is 0.
 */
export type Handler<O> = (ctx: Context, args: string[], opts: O) => Promise<void | number>;

export interface Program {
  root: Command;
  /** Makes `handler` the action of `cmd`, with `cmd`'s typed options. */
  action<C extends CommandUnknownOpts>(cmd: C, handler: Handler<OptsOf<C>>): void;
  /** The `create`, `get`, ... verb commands, created on first use. */
  verb(name: string, description: string): Command;
  /** The exit code the handler returned, if it returned one. */
  exitCode: number | undefined;
}
