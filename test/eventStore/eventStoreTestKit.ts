import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../../src/eventStore/eventStore.js';

/** Unique per call, so tests can share one store (EventStoreDB keeps everything). */
export const unique = (name: string): string => `${name}${randomUUID().replaceAll('-', '')}`;

export const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'user-1',
  occurredAt: '2025-01-02T03:04:05.000Z',
  correlationId: randomUUID(),
  ...overrides,
});

export const newEvent = (type = 'ThingHappened', data: unknown = { n: 1 }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(),
});

export const events = (count: number, type = 'ThingHappened'): NewEvent[] =>
  Array.from({ length: count }, (_, n) => newEvent(type, { n }));

/** Polls (without a wall-clock limit: mocha's timeout bounds it) until the check holds. */
export async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
