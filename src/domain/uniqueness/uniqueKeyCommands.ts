import type { Command } from '../shared/event.js';

export type ReserveUniqueKey = Command<
  'ReserveUniqueKey',
  {
    key: string;
    ownerId: string;
    /** How long the reservation is protected while its owner is being written. */
    leaseSeconds: number;
    /**
     * Whether the current holder's stream still holds the key, looked up by the caller
     * (the decider does no I/O). Only consulted when another owner's lease has expired;
     * absent counts as "still holds" so that a missing answer never steals a key.
     */
    holderStillHoldsKey?: boolean;
    /** The input field named in the DUPLICATE_NAME error (default 'key'). */
    field?: string;
  }
>;
export type ReleaseUniqueKey = Command<'ReleaseUniqueKey', { key: string; ownerId: string }>;

export type UniqueKeyCommand = ReserveUniqueKey | ReleaseUniqueKey;
