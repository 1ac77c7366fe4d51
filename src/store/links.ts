import { encodeLink, LINK_TAG_VALUE, linkedValue, TAG_LINK, type LinkTarget } from '../core/link.js';
import { NotFoundError, ScopedError, UsageError } from '../errors.js';
import { mapLimit } from '../support/map-limit.js';
import type { StoreLog } from './log.js';
import { ForwardingStore } from './forwarding-store.js';
import type { BatchReadResult, ReadResult, ReadSelector, SecretDetails, SecretStore, SecretSummary, SecretValue, StageMove, WriteManyResult, WriteOp } from './types.js';

/** Link targets read at once by one batch read. */
export const TARGET_CONCURRENCY = 8;

const RETARGET = 'retarget it with `scoped link secret KEY --arn ARN`, or unlink it with `scoped delete secret KEY` (which leaves the target alone)';

/** scoped never writes through a link (exit 2). */
export function linkRefusal(name: string, what = 'changed'): UsageError {
  return new UsageError(`secret ${name} is a link, and a link's target is never ${what} by scoped`, RETARGET);
}

/**
 * The store every command gets (`createStore`): the backend, with links read through and never written
 * through (see ARCHITECTURE "Links and generated values"). The backend marks a link in its reads
 * (`ReadResult.link`, from its metadata); this layer reads the target instead, names it, and refuses writes.
 */
export class LinkingStore extends ForwardingStore {
  /** Names whose metadata this store has seen, and whether it marks them links. */
  private readonly known = new Map<string, boolean>();

  constructor(readonly inner: SecretStore) {
    super();
  }

  protected target(): SecretStore {
    return this.inner;
  }

  get backend(): string {
    return this.inner.backend;
  }

  get log(): StoreLog | undefined {
    return this.inner.log;
  }

  private note(name: string, tags: Record<string, string>): void {
    this.known.set(name, tags[TAG_LINK] !== undefined);
  }

  /** Whether `name` is a link: from what was seen, else its metadata (a name that does not exist is not). */
  async isLink(name: string): Promise<boolean> {
    const seen = this.known.get(name);
    if (seen !== undefined) return seen;
    try {
      this.note(name, (await this.inner.describe(name)).tags);
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
    return this.known.get(name) === true;
  }

  /** The link's current record (never the target's value), or undefined when `name` is not a link. */
  async linkOf(name: string): Promise<LinkTarget | undefined> {
    const read = await this.inner.getValue(name);
    this.known.set(name, read.link !== undefined);
    return read.link;
  }

  /** The target's value (or field), version and stages, under the link's name. */
  private async follow(name: string, target: LinkTarget, selector: ReadSelector = {}): Promise<ReadResult> {
    const t = await this.inner.readArn(target.arn, selector);
    return { name, value: linkedValue(target, t.value), versionId: t.versionId, stages: t.stages, link: target };
  }

  /**
   * A link's value is its target's. A version id or stage asked for is the target's: a pin records the
   * target's version id, which the link itself lacks.
   */
  override async getValue(name: string, selector: ReadSelector = {}): Promise<ReadResult> {
    const asked = selector.versionId !== undefined || selector.versionStage !== undefined;
    let read: ReadResult;
    try {
      read = await this.inner.getValue(name, selector);
    } catch (err) {
      if (!(asked && err instanceof NotFoundError && err.subject === 'version')) throw err;
      const target = await this.linkOf(name);
      if (target === undefined) throw err;
      return this.follow(name, target, selector);
    }
    this.known.set(name, read.link !== undefined);
    if (read.link === undefined) return read;
    return this.follow(name, asked ? ((await this.linkOf(name)) ?? read.link) : read.link, selector);
  }

  override async getValues(names: readonly string[]): Promise<BatchReadResult> {
    const batch = await this.inner.getValues(names);
    const linked = [...batch.values].filter(([, r]) => r.link !== undefined);
    for (const [name, r] of batch.values) this.known.set(name, r.link !== undefined);
    // Each target read once, however many links name it.
    const reads = new Map<string, Promise<ReadResult>>();
    await mapLimit(linked, TARGET_CONCURRENCY, async ([name, r]) => {
      const target = r.link as LinkTarget;
      let read = reads.get(target.arn);
      if (read === undefined) reads.set(target.arn, (read = this.inner.readArn(target.arn)));
      try {
        const t = await read;
        batch.values.set(name, { name, value: linkedValue(target, t.value), versionId: t.versionId, stages: t.stages, link: target });
      } catch (err) {
        batch.values.delete(name);
        batch.errors.set(name, err as Error);
      }
    });
    return batch;
  }

  /** The secret's own metadata (a link's, not its target's), noted. */
  async describeOwn(name: string): Promise<SecretDetails> {
    const d = await this.inner.describe(name);
    this.note(name, d.tags);
    return d;
  }

  /** A link's metadata, with its target and the target's versions (so a pin records the target's version id). */
  override async describe(name: string): Promise<SecretDetails> {
    const d = await this.inner.describe(name);
    this.note(name, d.tags);
    if (d.tags[TAG_LINK] === undefined || d.deletedAt !== undefined) return d;
    const target = await this.linkOf(name);
    if (target === undefined) return d;
    const t = await this.inner.describeArn(target.arn);
    return { ...d, link: target, versions: t.versions };
  }

  override async list(prefixes: readonly string[], options?: { includeDeleted?: boolean }): Promise<SecretSummary[]> {
    const out = await this.inner.list(prefixes, options);
    for (const s of out) this.note(s.name, s.tags);
    return out;
  }

  override async putValue(name: string, value: SecretValue): Promise<{ versionId: string }> {
    if (await this.isLink(name)) throw linkRefusal(name);
    return this.inner.putValue(name, value);
  }

  override async updateStage(name: string, stage: string, move: StageMove): Promise<void> {
    if (await this.isLink(name)) throw linkRefusal(name, 'rolled back');
    return this.inner.updateStage(name, stage, move);
  }

  /** Puts onto links refused by name (exit 2); the rest written as the backend writes them. */
  override async writeMany(ops: readonly WriteOp[]): Promise<WriteManyResult> {
    const refused = new Map<string, Error>();
    for (const op of ops) {
      if (op.kind === 'put' && (await this.isLink(op.name))) refused.set(op.name, linkRefusal(op.name));
    }
    if (refused.size === 0) return this.inner.writeMany(ops);
    const result = await this.inner.writeMany(ops.filter((op) => op.kind !== 'put' || !refused.has(op.name)));
    for (const [name, err] of refused) result.errors.set(name, err);
    return result;
  }
}

/** The link layer of a store (every store a command gets has one; a bare backend in tests gets one here). */
function linking(store: SecretStore): LinkingStore {
  return store instanceof LinkingStore ? store : new LinkingStore(store);
}

/** The link's target, without reading it; undefined when the secret is not a link. */
export function linkOf(store: SecretStore, name: string): Promise<LinkTarget | undefined> {
  return linking(store).linkOf(name);
}

/** The secret's own metadata (a link's, not its target's): what `link` checks before writing. */
export function describeOwn(store: SecretStore, name: string): Promise<SecretDetails> {
  return linking(store).describeOwn(name);
}

/**
 * What `get secret` shows: a link's target and the target's versions, or, when the target cannot be
 * described, the link's own metadata and why (a link to a deleted secret is still shown, and deletable).
 */
export async function describeShown(store: SecretStore, name: string): Promise<SecretDetails & { targetError?: Error | undefined }> {
  const s = linking(store);
  const own = await s.describeOwn(name);
  if (own.tags[TAG_LINK] === undefined || own.deletedAt !== undefined) return own;
  try {
    return await s.describe(name);
  } catch (err) {
    if (!(err instanceof ScopedError)) throw err;
    return { ...own, link: await s.linkOf(name), targetError: err };
  }
}

/** `update`/`set` on a link (exit 2): what to run instead, for KEY at its scope. */
export function linkWriteRefusal(where: string, link: string, unlink: string): UsageError {
  return new UsageError(
    `${where} is a link, and scoped never writes through a link`,
    `retarget it with: ${link} --arn ARN, or unlink it with: ${unlink} (which leaves the target alone)`,
  );
}

export function isLink(store: SecretStore, name: string): Promise<boolean> {
  return linking(store).isLink(name);
}

/** A new link: its record at `name`, tagged as a link beside the scope tags. Only the link is written. */
export function createLink(
  store: SecretStore,
  input: { name: string; tags: Record<string, string>; description?: string | undefined; target: LinkTarget },
): Promise<{ versionId: string }> {
  return linking(store).inner.create({
    name: input.name,
    value: encodeLink(input.target),
    description: input.description,
    tags: { ...input.tags, [TAG_LINK]: LINK_TAG_VALUE },
  });
}

/** An existing link pointed elsewhere: a new version of its record (the old target is untouched). */
export function retargetLink(store: SecretStore, name: string, target: LinkTarget): Promise<{ versionId: string }> {
  return linking(store).inner.putValue(name, encodeLink(target));
}
