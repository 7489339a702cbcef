/**
 * A wait with a bound: `work`'s result, or `onLate()`'s once `ms` have passed (the work goes on
 * in the background, its outcome ignored). For calls to a backend that waits for its server to
 * come back instead of failing (BullMQ on Redis), on paths that must answer meanwhile.
 */
export function withinTime<T>(work: Promise<T>, ms: number, onLate: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => Promise.resolve().then(onLate).then(resolve, reject), ms);
    timer.unref();
  });
  work.catch(() => undefined); // a failure after the bound is nobody's to handle
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
