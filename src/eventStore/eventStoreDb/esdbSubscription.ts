import type { AllStreamResolvedEvent, AllStreamSubscription, EventStoreDBClient } from '@eventstore/db-client';
import { START } from '@eventstore/db-client';
import { matchesFilter } from '../eventFilter.js';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../eventStore.js';
import type { UpcastFn } from '../upcasters.js';
import { toEsdbFilter, toEsdbPosition, toRecordedEvent } from './esdbMapping.js';
import { toPortErrorObject } from './esdbErrors.js';

export interface EsdbSubscriptionDeps {
  upcast: UpcastFn;
  /** Events older than their stream's max age are not delivered (see esdbMaxAge.ts). */
  isAgedOut: (event: RecordedEvent) => Promise<boolean>;
  /** Backoff before resubscribing when the server ended the subscription without an error. */
  resubscribeDelayMs?: { initial: number; max: number };
}

const DEFAULT_DELAY = { initial: 100, max: 5_000 };

/**
 * ESDB's own catch-up subscription on $all with a server-side filter; the server does the
 * catch-up/live handover. Events are handled one at a time (the async iterator pulls the next
 * only after the handler's promise settles); anything at or before the last delivered position
 * is skipped, so a resubscription from a checkpoint never repeats an event.
 *
 * Caught-up: the driver emits `caughtUp` when the server's marker passes through its stream,
 * while the events before the marker may still wait in the stream's buffer (16 by default).
 * So the marker is placed in the sequence: at that moment `received + readableLength` events
 * have come before it, and `onCaughtUp` fires once that many have been handled.
 *
 * A subscription the server ends without an error (a restart, a leader change that closes the
 * call cleanly) is resubscribed from the last delivered position with a growing delay (reset
 * once events flow again): consumers never stop silently. Errors go to `onError` and end it.
 */
export function subscribeToAllEsdb(
  client: EventStoreDBClient,
  options: SubscribeOptions,
  deps: EsdbSubscriptionDeps,
): Subscription {
  const delays = deps.resubscribeDelayMs ?? DEFAULT_DELAY;
  let position = options.afterPosition ?? 0;
  let stopped = false;
  let inHandler = false;
  let caughtUpSignalled = false;
  let current: AllStreamSubscription | undefined;
  let sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      sleeping = { timer, wake: () => resolve() };
    }).finally(() => {
      sleeping = undefined;
    });

  const deliver = async (resolved: AllStreamResolvedEvent): Promise<void> => {
    const event = toRecordedEvent(resolved);
    if (event === undefined || event.position <= position || !matchesFilter(event, options.filter)) return;
    if (await deps.isAgedOut(event)) return;
    inHandler = true;
    try {
      await options.onEvent(deps.upcast(event));
    } finally {
      inHandler = false;
    }
    position = event.position;
  };

  /** One server subscription, until it ends (resolves) or fails (rejects). */
  const runOnce = async (): Promise<void> => {
    const subscription = client.subscribeToAll({
      fromPosition: position > 0 ? toEsdbPosition(position) : START,
      filter: toEsdbFilter(options.filter),
    });
    current = subscription;
    let received = 0;
    let handled = 0;
    let caughtUpAfter: number | undefined;
    const signalIfDue = (): void => {
      if (caughtUpSignalled || stopped || caughtUpAfter === undefined || handled < caughtUpAfter) return;
      caughtUpSignalled = true;
      options.onCaughtUp?.(position);
    };
    subscription.on('caughtUp', () => {
      caughtUpAfter ??= received + subscription.readableLength;
      signalIfDue();
    });
    try {
      for await (const resolved of subscription) {
        received += 1;
        // Stopping cancels the call; what is left is drained, never left with `break` (see esdbReads.ts).
        if (stopped) continue;
        await deliver(resolved);
        handled += 1;
        signalIfDue();
      }
    } finally {
      current = undefined;
      await subscription.unsubscribe().catch(() => undefined);
    }
  };

  const done = (async () => {
    let delay = delays.initial;
    try {
      while (!stopped) {
        const before = position;
        await runOnce();
        if (stopped) break;
        if (position !== before) delay = delays.initial;
        await sleep(delay);
        delay = Math.min(delay * 2, delays.max);
      }
    } catch (error) {
      if (!stopped) options.onError?.(toPortErrorObject(error));
    } finally {
      stopped = true;
    }
  })();

  return {
    get position() {
      return position;
    },
    async stop() {
      stopped = true;
      if (sleeping) {
        clearTimeout(sleeping.timer);
        sleeping.wake();
      }
      await current?.unsubscribe().catch(() => undefined);
      if (!inHandler) await done;
    },
  };
}
