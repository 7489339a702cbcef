/**
 * Runs projections against the event store: subscribes from the stored checkpoint with a
 * stream-prefix filter, applies events in order, and stores the checkpoint in batches — every
 * `checkpointEveryEvents` events, on catch-up, on a timer (`flushIntervalMs`, which is also
 * the last-used coalescing interval) and at stop. Buffered projection work is flushed before
 * each checkpoint, so a checkpoint never passes unwritten effects.
 *
 * Positions: `position` is the position of the newest event the read model reflects — always a
 * position the store handed out (an event's position, or the head), never computed from one:
 * on EventStoreDB a position is a byte offset in the log, so `p - 1` is no position at all.
 * The checkpoint stores it and a restart reads strictly after it. Events outside the filter
 * never reach `onEvent`, so when the runner is live it also advances over events it does not
 * need (see `skipUnmatched`): to the head when no needed event lies before it, and otherwise it
 * remembers the next needed event's position as an exclusive bound (`reflectedBelow`) that
 * only answers "is this write reflected?", never a checkpoint. Without that a write to an
 * unrelated stream would look like lag forever. `lag()` is measured in store positions
 * (SQLite: events; EventStoreDB: bytes of log).
 */
import type { EventFilter, EventStore, RecordedEvent, Subscription } from '../src/eventStore/eventStore.js';
import { createProjections } from './projections.js';
import type { Projection, ProjectionHandler } from './projection.js';
import type { ReadModel } from './readModel.js';
import { ProgressSignal } from './progressSignal.js';

export interface ProjectionRunnerOptions {
  store: EventStore;
  readModel: ReadModel;
  /** Default: createProjections(). */
  projections?: Projection[];
  /** Checkpoint document id. */
  checkpointId?: string;
  checkpointEveryEvents?: number;
  /** Flush + checkpoint timer (ms). */
  flushIntervalMs?: number;
  /** Delay before resubscribing after a handler or store error (ms). */
  retryDelayMs?: number;
  onError?: (error: Error) => void;
}

/** What the read model has not applied yet, counting only events a readiness-gating projection needs. */
export interface ReadinessLag {
  /** Such events after the runner's position, counted up to the limit asked for. */
  events: number;
  /** When the store recorded the oldest of them (ISO-8601); absent when there is none. */
  oldestRecordedAt?: string;
}

export interface RebuildResult {
  events: number;
  ms: number;
  position: number;
}

export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly readModel: ReadModel;
  private readonly projections: Projection[];
  private readonly checkpointId: string;
  private readonly checkpointEveryEvents: number;
  private readonly flushIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly reportError: (error: Error) => void;
  private readonly filter: EventFilter;
  private readonly readinessFilter: EventFilter;
  private readonly dispatch = new Map<string, Array<{ prefixes: readonly string[]; handler: ProjectionHandler }>>();
  private readonly progress = new ProgressSignal();

  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private appliedPosition = 0;
  private skippedTo = 0;
  /** Every event before this position is reflected (the next needed event's position; 0: unknown). */
  private reflectedBelow = 0;
  private storedPosition = -1;
  private sinceCheckpoint = 0;
  private checkpointing: Promise<void> = Promise.resolve();
  private live = false;
  /** Events applied since this runner was created. */
  applied = 0;
  lastError: Error | null = null;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.readModel = options.readModel;
    this.projections = options.projections ?? createProjections();
    this.checkpointId = options.checkpointId ?? 'readModel';
    this.checkpointEveryEvents = options.checkpointEveryEvents ?? 5000;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.reportError = options.onError ?? (() => {});
    this.filter = { streamPrefixes: [...new Set(this.projections.flatMap((p) => p.streamPrefixes))] };
    const gating = this.projections.filter((p) => p.gatesReadiness !== false);
    this.readinessFilter = {
      streamPrefixes: [...new Set(gating.flatMap((p) => p.streamPrefixes))],
      eventTypes: [...new Set(gating.flatMap((p) => Object.keys(p.handlers)))],
    };
    for (const projection of this.projections) {
      for (const [type, handler] of Object.entries(projection.handlers)) {
        const list = this.dispatch.get(type) ?? [];
        list.push({ prefixes: projection.streamPrefixes, handler });
        this.dispatch.set(type, list);
      }
    }
  }

  get position(): number {
    return Math.max(this.appliedPosition, this.skippedTo);
  }

  /** True once the subscription has caught up with the store and is live. */
  get caughtUp(): boolean {
    return this.live;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const stored = (await this.readModel.checkpoints.load(this.checkpointId)) ?? 0;
    this.appliedPosition = stored;
    this.skippedTo = 0;
    this.reflectedBelow = 0;
    this.storedPosition = stored;
    this.subscribe();
    this.timer = setInterval(() => void this.checkpoint().catch((e: unknown) => this.fail(e)), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the subscription, flushes buffered work and stores the checkpoint. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.halt();
    await this.checkpoint();
    this.progress.wakeAll();
  }

  /** Clears the read model (documents and checkpoint) and replays from position 0. */
  async rebuild(): Promise<RebuildResult> {
    const wasRunning = this.running;
    if (wasRunning) await this.stopWithoutCheckpoint();
    for (const projection of this.projections) projection.reset?.();
    await this.readModel.clear();
    const appliedBefore = this.applied;
    const startedAt = performance.now();
    await this.start();
    await this.waitUntilCaughtUp(Number.POSITIVE_INFINITY);
    await this.checkpoint();
    return { events: this.applied - appliedBefore, ms: performance.now() - startedAt, position: this.position };
  }

  /** head − position (0 when caught up). */
  async lag(): Promise<number> {
    const head = await this.store.headPosition();
    if (head > this.position && this.live) await this.skipUnmatched();
    return Math.max(0, head - this.position);
  }

  /**
   * The lag readiness is judged on: events after `position` that a gating projection handles
   * (read up to `limit`), so `TokenIssued` under load, which only feeds last-used times, and
   * events no projection handles are not lag here.
   */
  async readinessLag(limit: number): Promise<ReadinessLag> {
    if (this.readinessFilter.eventTypes!.length === 0) return { events: 0 };
    const pending = await this.store.readAll({ afterPosition: this.position, maxCount: Math.max(1, limit), filter: this.readinessFilter });
    return pending.length === 0 ? { events: 0 } : { events: pending.length, oldestRecordedAt: pending[0]!.recordedAt };
  }

  /** Read-your-writes: true once the read model reflects `position`, false on timeout. */
  async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.reflects(position)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !this.running) return false;
      const progressed = await this.progress.wait(Math.min(remaining, 25));
      if (!progressed && this.live && !this.reflects(position)) await this.skipUnmatched();
    }
    return true;
  }

  /** The read model shows every event up to and including `position`. */
  private reflects(position: number): boolean {
    return this.position >= position || this.reflectedBelow > position;
  }

  async waitUntilCaughtUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.live) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !this.running) return false;
      await this.progress.wait(Math.min(remaining, 1000));
    }
    return true;
  }

  /** Flushes projections, then stores the position reflected before the flush began. */
  checkpoint(): Promise<void> {
    const run = async (): Promise<void> => {
      const position = this.position;
      for (const projection of this.projections) await projection.flush?.(this.readModel);
      if (position > this.storedPosition) {
        await this.readModel.checkpoints.store(this.checkpointId, position);
        this.storedPosition = position;
      }
      this.sinceCheckpoint = 0;
    };
    this.checkpointing = this.checkpointing.then(run, run);
    return this.checkpointing;
  }

  private subscribe(): void {
    this.live = false;
    this.subscription = this.store.subscribeToAll({
      afterPosition: this.position,
      filter: this.filter,
      onEvent: (event) => this.apply(event),
      onCaughtUp: () => {
        this.live = true;
        this.lastError = null;
        this.progress.wakeAll();
        void this.checkpoint().catch((e: unknown) => this.fail(e));
      },
      onError: (error) => this.resubscribeLater(error),
    });
  }

  private async apply(event: RecordedEvent): Promise<void> {
    for (const { prefixes, handler } of this.dispatch.get(event.type) ?? []) {
      if (prefixes.some((prefix) => event.streamName.startsWith(prefix))) await handler(event, this.readModel);
    }
    this.appliedPosition = event.position;
    this.applied += 1;
    this.progress.wakeAll();
    if (++this.sinceCheckpoint >= this.checkpointEveryEvents) await this.checkpoint();
  }

  /**
   * When live: finds the next needed event after `position`. None up to the head: the runner
   * reflects the head (a real position, safe to checkpoint). One at or before the head: every
   * event before it is reflected (`reflectedBelow`), and `position` stays where it is.
   */
  private async skipUnmatched(): Promise<void> {
    const from = this.position;
    const head = await this.store.headPosition();
    if (head <= from) return;
    const [next] = await this.store.readAll({ afterPosition: from, maxCount: 1, filter: this.filter });
    if (next === undefined || next.position > head) {
      if (head > this.skippedTo) this.skippedTo = head;
    } else if (next.position > this.reflectedBelow) {
      this.reflectedBelow = next.position;
    } else {
      return;
    }
    this.progress.wakeAll();
  }

  private resubscribeLater(error: Error): void {
    this.fail(error);
    this.subscription = null;
    this.live = false;
    if (!this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.subscribe();
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  private async stopWithoutCheckpoint(): Promise<void> {
    await this.halt();
    await this.checkpointing.catch(() => {});
  }

  /** Stops timers and the subscription (both stop paths). */
  private async halt(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.retryTimer = null;
    const subscription = this.subscription;
    this.subscription = null;
    this.live = false;
    await subscription?.stop();
  }

  private fail(error: unknown): void {
    this.lastError = error instanceof Error ? error : new Error(String(error));
    this.reportError(this.lastError);
  }
}

export const createProjectionRunner = (options: ProjectionRunnerOptions): ProjectionRunner =>
  new ProjectionRunner(options);
