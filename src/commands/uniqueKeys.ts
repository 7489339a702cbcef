import type { CommandMetadata } from '../domain/shared/event.js';
import { needsHolderCheck, uniqueKeyDecider } from '../domain/uniqueness/uniqueKeyDecider.js';
import { toReservationStreamName } from '../domain/uniqueness/uniqueKeyStreamName.js';
import type { CommandDeps } from './commandDeps.js';

export const DEFAULT_UNIQUE_KEY_LEASE_SECONDS = 60;

/**
 * The port through which the uniqueness module asks "does this owner still hold this key?"
 * (its stream exists, is not deleted, and its current value maps to this key). The module
 * itself knows nothing about applications or users.
 */
export type HolderCheck = (ownerId: string, key: string) => Promise<boolean>;

export interface UniqueKeyRequest {
  scope: string;
  key: string;
  ownerId: string;
  /** Input field named in the DUPLICATE_NAME error. */
  field: string;
}

/**
 * Reserves `key` for `ownerId`, or throws DUPLICATE_NAME. The append uses the reservation
 * stream's expected revision, so of two racing reservations exactly one wins; the loser
 * reloads, sees the winner's fresh lease and fails. Idempotent for the same owner.
 */
export const reserveUniqueKey = async (
  deps: CommandDeps,
  request: UniqueKeyRequest,
  holderStillHoldsKey: HolderCheck,
  metadata: CommandMetadata,
): Promise<void> => {
  const { scope, key, ownerId, field } = request;
  await deps.handler.handle(uniqueKeyDecider, toReservationStreamName(scope, key), async (state) => ({
    type: 'ReserveUniqueKey' as const,
    data: {
      key,
      ownerId,
      field,
      leaseSeconds: deps.uniqueKeyLeaseSeconds ?? DEFAULT_UNIQUE_KEY_LEASE_SECONDS,
      ...(state.status === 'Reserved' &&
        needsHolderCheck(state, ownerId, metadata.now) && {
          holderStillHoldsKey: await holderStillHoldsKey(state.ownerId, key),
        }),
    },
    metadata,
  }));
};

/**
 * Releases a key after a delete or rename. Best effort: if it fails, the reservation is
 * merely stale, and the next reservation of that key takes it over after the holder check.
 */
export const releaseUniqueKey = async (
  deps: CommandDeps,
  request: Omit<UniqueKeyRequest, 'field'>,
  metadata: CommandMetadata,
): Promise<void> => {
  const { scope, key, ownerId } = request;
  try {
    await deps.handler.handle(uniqueKeyDecider, toReservationStreamName(scope, key), {
      type: 'ReleaseUniqueKey',
      data: { key, ownerId },
      metadata,
    });
  } catch {
    // Deliberately ignored: see above.
  }
};
