/**
 * Runs `work` over the items, at most `limit` at a time, keeping the order of results. Once one fails, no
 * further item is started; the first failure is thrown when those in flight have settled (none is left
 * running unobserved, to fail later with nobody listening).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        results[i] = await work(items[i] as T);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed.error;
  return results;
}
