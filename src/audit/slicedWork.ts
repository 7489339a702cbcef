import { paceAuditWork } from './auditGate.js';

/** How many items one synchronous slice handles before it yields (a few milliseconds of work). */
export const SLICE = 2048;

/** `items.sort(compare)` for large arrays, in slices with a yield between them: sorted runs, then pairwise merges. */
export async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number): Promise<T[]> {
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += SLICE) {
    runs.push(items.slice(i, i + SLICE).sort(compare));
    await paceAuditWork();
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) merged.push(runs[r + 1] === undefined ? runs[r]! : await merge(runs[r]!, runs[r + 1]!, compare));
    runs = merged;
  }
  return runs[0] ?? [];
}

async function merge<T>(a: T[], b: T[], compare: (x: T, y: T) => number): Promise<T[]> {
  const out: T[] = new Array<T>(a.length + b.length);
  let [i, j, k] = [0, 0, 0];
  while (i < a.length || j < b.length) {
    // Stable: on a tie the earlier run's item comes first.
    out[k++] = j >= b.length || (i < a.length && compare(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!;
    if (k % SLICE === 0) await paceAuditWork();
  }
  return out;
}
