/**
 * The one bounded-concurrency map. Hand-written: it is a dozen lines, and the failure rule
 * matters too much to leave to a library's defaults.
 *
 * The failure rule: after the first failure no new item starts; the items already running
 * are waited for; then the failure of the earliest item in input order is thrown. So
 * - a caller that deletes a private root on failure never races a worker still writing
 *   into it, and no apply or delete is sent to a cluster after one has failed;
 * - the error is the same whichever request happened to answer first.
 * Results keep the order of the input.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  // A limit below one (or NaN) still makes progress, one item at a time.
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => (b.index < a.index ? b : a));
    throw first.error;
  }
  return results;
}
