/**
 * An immutable list, newest first, extended in O(1) without copying: a decider's state can
 * grow by one item per event (a refresh-token family's rotated hashes) while the fold of a
 * long stream stays linear. Arrays copied on every event made that fold quadratic (145 ms for
 * 8,640 rotations; BENCHMARKS.md).
 */
export type Chain<T> = { readonly head: T; readonly tail: Chain<T> } | null;

export const emptyChain = null;

export const prepend = <T>(chain: Chain<T>, item: T): Chain<T> => ({ head: item, tail: chain });

export function chainIncludes<T>(chain: Chain<T>, item: T): boolean {
  for (let link = chain; link !== null; link = link.tail) if (link.head === item) return true;
  return false;
}

/** The items oldest first. */
export function chainToArray<T>(chain: Chain<T>): T[] {
  const items: T[] = [];
  for (let link = chain; link !== null; link = link.tail) items.push(link.head);
  return items.reverse();
}
