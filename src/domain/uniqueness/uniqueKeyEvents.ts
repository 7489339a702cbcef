import type { Event } from '../shared/event.js';

/**
 * `leaseUntil` (ISO): until then the reservation counts as taken even if its owner's stream
 * does not show the key yet — the owner is being created right now.
 */
export type UniqueKeyReserved = Event<'UniqueKeyReserved', { key: string; ownerId: string; leaseUntil: string }>;
export type UniqueKeyReleased = Event<'UniqueKeyReleased', { key: string; ownerId: string }>;

export type UniqueKeyEvent = UniqueKeyReserved | UniqueKeyReleased;

export type UniqueKeyState =
  | { status: 'Free' }
  | { status: 'Reserved'; key: string; ownerId: string; leaseUntil: string };
