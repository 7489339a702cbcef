import type { EventFilter, RecordedEvent, SubscribeOptions, Subscription } from './eventStore.js';

/** What one commit wrote: each append's stream and event types. */
export type CommittedAppends = ReadonlyArray<{ readonly streamName: string; readonly types: readonly string[] }>;

/** Registers a callback run after every committed write; returns the unregister function. */
export type OnCommitted = (listener: (committed: CommittedAppends) => void) => () => void;

/**
 * Whether a commit may hold an event the filter keeps. A live subscription is woken only by
 * such commits: under token load most commits are TokenIssued, which most subscribers never
 * read, and a wake-up costs them a query each.
 */
export function commitMatches(filter: EventFilter | undefined, committed: CommittedAppends): boolean {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  if (prefixes.length === 0 && types.length === 0) return true;
  return committed.some(
    ({ streamName, types: written }) =>
      (prefixes.length === 0 || prefixes.some((prefix) => streamName.startsWith(prefix))) &&
      (types.length === 0 || written.some((type) => types.includes(type))),
  );
}

export interface CatchUpSubscription extends Subscription {
  /** Resolves when the delivery loop has ended. */
  readonly done: Promise<void>;
}

/**
 * Catch-up then live, for stores that can read "all events after position P" and tell when
 * something was committed. There is a single loop: read the next page after the last
 * delivered position, deliver it, repeat; when a read comes back short the subscription is
 * live and waits for the next commit signal. Live and catch-up are the same read, so the
 * handover can neither skip nor repeat an event — as long as positions become visible in
 * increasing order, which a single writer guarantees.
 */
/**
 * One read: the matching events after a position, and how far the read looked. With a filter,
 * `scannedTo` lets the cursor move past stretches of non-matching events, so a subscription
 * to rare events does not re-scan every unrelated event since its last match on each commit.
 */
export interface SubscriptionPage {
  events: RecordedEvent[];
  scannedTo: number;
}

export function createCatchUpSubscription(
  readPage: (afterPosition: number, maxCount: number) => Promise<SubscriptionPage>,
  onCommitted: OnCommitted,
  options: SubscribeOptions,
  pageSize = 500,
  /**
   * While live, also look for new events this often: commits made by another process (a
   * separate `npm run worker`, a second reader of the same file) send no in-process signal.
   * 0: only in-process signals.
   */
  livePollMs = 0,
  liveCoalesceMs = 0,
): CatchUpSubscription {
  let position = options.afterPosition ?? 0;
  let stopped = false;
  let signalled = false;
  let inHandler = false;
  let wake: (() => void) | undefined;

  const unregister = onCommitted((committed) => {
    if (!commitMatches(options.filter, committed)) return;
    signalled = true;
    wake?.();
  });

  const run = async (): Promise<void> => {
    let caughtUp = false;
    while (!stopped) {
      signalled = false;
      const { events: page, scannedTo } = await readPage(position, pageSize);
      for (const event of page) {
        if (stopped) return;
        inHandler = true;
        try {
          await options.onEvent(event);
        } finally {
          inHandler = false;
        }
        position = event.position;
      }
      if (page.length === pageSize || stopped) continue;
      if (scannedTo > position) position = scannedTo;
      if (!caughtUp) {
        caughtUp = true;
        options.onCaughtUp?.(position);
      }
      if (!signalled) {
        let poll: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (livePollMs > 0) poll = setTimeout(resolve, livePollMs).unref();
        });
        // Woken by a commit: drop the poll timer, or every wake-up would leave one behind.
        clearTimeout(poll);
      }
      wake = undefined;
      // Under load commits come every millisecond or two: gathering a few into one read
      // costs a subscriber at most `liveCoalesceMs` of delay and saves most of its queries.
      if (liveCoalesceMs > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, liveCoalesceMs));
    }
  };

  const done = run()
    .catch((error: unknown) => {
      if (stopped) return;
      stopped = true;
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    })
    .finally(unregister);

  return {
    done,
    get position() {
      return position;
    },
    stop() {
      stopped = true;
      wake?.();
      // Stopping from inside onEvent must not wait for the loop that is waiting for onEvent.
      return inHandler ? Promise.resolve() : done;
    },
  };
}
