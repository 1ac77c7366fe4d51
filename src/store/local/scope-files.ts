import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../../support/atomic-write.js';
import { AccessDeniedError, UnavailableError, UsageError } from '../../errors.js';
import { migrateLegacy, needsMigration } from './legacy.js';
import { SECRETS_DIR, checkNoLinks, lockPath, scopeOf, shardPath, shardsFor } from './layout.js';
import { acquireLock } from './lock.js';
import { readShard, readShardIndex, writeShard, type Secrets, type ShardIndex } from './shard-file.js';

/** Long enough for any real write; a holder still alive after it is reported, never robbed. */
export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

/**
 * The files of the local store: its folder checked once, an old `store.json` migrated on first use, one
 * shard per scope read without locks (every shard is replaced by one atomic rename, so a reader sees a
 * whole old or whole new scope) and written under that scope's lock. Writes at different scopes do not
 * wait for each other.
 */
export class ScopeFiles {
  private checked = false;

  constructor(
    readonly home: string,
    private readonly log: { debug(line: string): void } | undefined,
    private readonly lockTimeoutMs: number,
  ) {}

  get root(): string {
    return join(this.home, SECRETS_DIR);
  }

  /** The shard file that holds `name`. */
  pathOf(name: string): string {
    return shardPath(this.root, scopeOf(name));
  }

  /** False when the folder does not exist (an empty store) and `create` is not asked. */
  checkFolder(create: boolean): boolean {
    const stat = statSync(this.home, { throwIfNoEntry: false });
    if (!stat) {
      if (!create) return false;
      mkdirSync(this.home, { recursive: true, mode: 0o700 });
      return true;
    }
    if (!stat.isDirectory()) throw new UsageError(`local store folder ${this.home} is a file, not a folder`, 'set SCOPED_HOME to a folder (or move the file away)');
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new AccessDeniedError(`local store folder ${this.home} is open to others (mode ${mode.toString(8)})`, `run: chmod 700 ${this.home}`);
    }
    return true;
  }

  /** False when the folder does not exist yet (an empty store). Checks it and migrates, once. */
  async prepare(create: boolean): Promise<boolean> {
    if (this.checked) return true;
    if (!this.checkFolder(create)) return false;
    if (needsMigration(this.home)) {
      const started = Date.now();
      await migrateLegacy(this.home, this.lockTimeoutMs);
      this.log?.debug(`local migrated ${join(this.home, 'store.json')} into ${this.root} in ${Date.now() - started} ms`);
    }
    this.checked = true;
    return true;
  }

  private timed<T>(what: string, work: () => T): T {
    const started = Date.now();
    const result = work();
    this.log?.debug(`local ${what} in ${Date.now() - started} ms`);
    return result;
  }

  /** The secrets of one scope (`scopeOf(name)`); their deprecated versions too with `deprecated`. */
  async read(scope: string | undefined, options: { deprecated?: boolean } = {}): Promise<Secrets> {
    if (!(await this.prepare(false))) return Object.create(null) as Secrets;
    const path = shardPath(this.root, scope);
    checkNoLinks(this.root, dirname(path));
    return this.timed(`read of ${path}`, () => readShard(path, options));
  }

  /** Every shard that may hold a name under one of the prefixes. */
  private async shards(prefixes: readonly string[]): Promise<string[]> {
    if (!(await this.prepare(false))) return [];
    return [...new Set(prefixes.flatMap((p) => shardsFor(this.root, p)))];
  }

  async readIndexes(prefixes: readonly string[]): Promise<ShardIndex[]> {
    const shards = await this.shards(prefixes);
    return this.timed(`read of ${shards.length} scope ${shards.length === 1 ? 'index' : 'indexes'} under ${this.root}`, () => shards.map(readShardIndex));
  }

  async readAll(prefixes: readonly string[]): Promise<Secrets[]> {
    const shards = await this.shards(prefixes);
    return this.timed(`read of ${shards.length} ${shards.length === 1 ? 'scope' : 'scopes'} under ${this.root}`, () => shards.map((shard) => readShard(shard)));
  }

  /**
   * Read-modify-write of one scope under its lock. `change` may throw to abort without writing.
   * `prove` runs first (the key check): a wrong key changes nothing.
   */
  async write<T>(scope: string | undefined, prove: () => void, change: (secrets: Secrets) => T): Promise<T> {
    await this.prepare(true);
    prove();
    const path = shardPath(this.root, scope);
    // No folder on the way may be a link (mkdir and the rename would follow it out of the store).
    checkNoLinks(this.root, dirname(path));
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    checkNoLinks(this.root, dirname(path));
    const started = Date.now();
    const lock = await acquireLock(lockPath(path), { timeoutMs: this.lockTimeoutMs, what: `scope ${scope ?? '(root)'} of local store ${this.home}` });
    const locked = Date.now();
    try {
      checkNoLinks(this.root, dirname(path));
      removeLeftovers(path);
      // Every version, deprecated ones too: the file is rewritten whole, in the current format.
      const secrets = readShard(path, { deprecated: true, checkAll: true });
      const result = change(secrets);
      if (!lock.stillHeld()) throw new UnavailableError(`lost the lock on ${path}`, 'retry the command');
      if (Object.keys(secrets).length > 0) writeShard(path, secrets);
      else {
        rmSync(path, { force: true });
        fsyncDir(dirname(path));
      }
      this.log?.debug(`local locked write of ${path} in ${Date.now() - locked} ms (waited ${locked - started} ms for the lock)`);
      return result;
    } finally {
      lock.release();
    }
  }
}

/**
 * Temp files beside a shard left by writers killed mid-write; only the scope's lock holder calls this.
 * A lock's temp file lives for microseconds while a waiter links it: one a minute old was left by a kill.
 */
function removeLeftovers(shard: string): void {
  const dir = dirname(shard);
  const mine = `.${basename(shard)}.`;
  const lock = `${basename(lockPath(shard))}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.endsWith('.tmp')) continue;
    const path = join(dir, entry);
    if (entry.startsWith(mine)) rmSync(path, { force: true });
    else if (entry.startsWith(lock) && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000) rmSync(path, { force: true });
  }
}
