import type { RecordedEvent, SubscribeOptions, Subscription } from './eventStore.js';

/** Registers a callback run after every committed write; returns the unregister function. */
export type OnCommitted = (listener: () => void) => () => void;

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

  const unregister = onCommitted(() => {
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
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (livePollMs > 0) setTimeout(resolve, livePollMs).unref();
        });
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
