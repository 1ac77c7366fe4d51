import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFsError } from '../support/fs-errors.js';
import { UsageError } from '../errors.js';
import type { SecretFile } from './plan.js';

function cannotWrite(err: unknown): UsageError {
  return new UsageError(`cannot write --file secrets under ${tmpdir()}: ${describeFsError(err)}`, 'set TMPDIR to a writable directory');
}

/**
 * `--file` values in a private directory (0700) under the system temp dir, one file per variable (0600),
 * removed by `dispose()`. Also removed when the process exits by any other path than a kill -9, so an
 * unexpected error cannot leave them behind.
 */
export class SecretFiles {
  private disposed = false;
  private readonly onExit = (): void => this.dispose();
  /** Variable -> path. */
  readonly paths = new Map<string, string>();

  private constructor(
    readonly dir: string,
    private readonly exitHook: NodeJS.EventEmitter,
  ) {
    exitHook.once('exit', this.onExit);
  }

  static create(files: SecretFile[], exitHook: NodeJS.EventEmitter = process): SecretFiles | undefined {
    if (files.length === 0) return undefined;
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'scoped-run-'));
    } catch (err) {
      throw cannotWrite(err);
    }
    const created = new SecretFiles(dir, exitHook);
    try {
      chmodSync(dir, 0o700);
      for (const f of files) {
        const path = join(dir, f.env);
        // 'wx': never follow or reuse something already there; the mode is set at creation.
        writeFileSync(path, f.value, { mode: 0o600, flag: 'wx' });
        chmodSync(path, 0o600);
        created.paths.set(f.env, path);
      }
    } catch (err) {
      created.dispose();
      throw cannotWrite(err);
    }
    return created;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.exitHook.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
