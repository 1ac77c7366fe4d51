/**
 * `--regions`: the order reads try the regions in. A region that failed a read (5xx, throttling past the
 * retries, unreachable, out of its share of the time) goes after the others for `holdMs` from its latest
 * failure, so later reads do not wait on it again; after that it has its configured place back, so a
 * command that lives for days (`run --watch`) returns to the preferred region once it is healthy. A region
 * that answers (a value, or a 4xx that is the answer) has its place back at once.
 */

/** How long a region that failed a read stays after the others: then the configured order again. */
export const REGION_HOLD_MS = 5 * 60_000;

/** A monotonic clock in milliseconds: a wall clock stepped back would keep a region last for longer. */
const monotonic = (): number => performance.now();

export class RegionOrder {
  /** Regions that failed a read, and when their latest failure was (`now()`). */
  private readonly failedAt = new Map<string, number>();

  constructor(
    readonly regions: readonly string[],
    private readonly now: () => number = monotonic,
    readonly holdMs: number = REGION_HOLD_MS,
  ) {}

  /**
   * The order for the next read: the configured order, with the regions that failed within `holdMs` moved
   * to the end (in their configured order). `restored` names the regions whose hold ended since the last
   * call, for a debug line.
   */
  next(): { order: string[]; restored: string[] } {
    const t = this.now();
    const restored: string[] = [];
    for (const [region, at] of this.failedAt) {
      if (t - at >= this.holdMs) {
        this.failedAt.delete(region);
        restored.push(region);
      }
    }
    const held = (r: string): boolean => this.failedAt.has(r);
    return { order: [...this.regions.filter((r) => !held(r)), ...this.regions.filter(held)], restored };
  }

  /** A read failed in `region` in a way another region may not: it goes last from now for `holdMs`. */
  failed(region: string): void {
    this.failedAt.set(region, this.now());
  }

  /** `region` answered: its configured place again. */
  answered(region: string): void {
    this.failedAt.delete(region);
  }
}
