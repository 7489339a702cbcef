import { DomainError } from '../shared/domainError.js';
import { assertNever, type Decider } from '../shared/event.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { createValidator, isNonEmptyString } from '../shared/validation.js';
import type { ReserveUniqueKey, UniqueKeyCommand } from './uniqueKeyCommands.js';
import type { UniqueKeyEvent, UniqueKeyState } from './uniqueKeyEvents.js';

export const MAX_LEASE_SECONDS = 24 * 3600;

export const initialUniqueKeyState = (): UniqueKeyState => ({ status: 'Free' });

/** True when only a look at the holder's stream can tell whether the key may be taken over. */
export const needsHolderCheck = (state: UniqueKeyState, ownerId: string, now: Date): boolean =>
  state.status === 'Reserved' && state.ownerId !== ownerId && Date.parse(state.leaseUntil) <= now.getTime();

const taken = (field: string): DomainError =>
  new DomainError('DUPLICATE_NAME', `${field} is already taken`, [{ field, message: 'is already taken' }]);

const reserve = (command: ReserveUniqueKey, state: UniqueKeyState): UniqueKeyEvent[] => {
  const { key, ownerId, leaseSeconds, holderStillHoldsKey } = command.data;
  const v = createValidator();
  v.check(isNonEmptyString(key), 'key', 'is required');
  v.check(isNonEmptyString(ownerId), 'ownerId', 'is required');
  v.check(Number.isInteger(leaseSeconds) && leaseSeconds > 0 && leaseSeconds <= MAX_LEASE_SECONDS, 'leaseSeconds', 'must be a positive integer');
  v.throwIfInvalid('Invalid reservation');
  const now = command.metadata.now;
  const reserved: UniqueKeyEvent = {
    type: 'UniqueKeyReserved',
    data: { key, ownerId, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString() },
  };
  if (state.status === 'Free') return [reserved];
  if (state.ownerId === ownerId) return [];
  if (!needsHolderCheck(state, ownerId, now) || holderStillHoldsKey !== false) {
    throw taken(command.data.field ?? 'key');
  }
  // Stale: the holder was deleted, renamed, or never written. Take it over, visibly.
  return [{ type: 'UniqueKeyReleased', data: { key: state.key, ownerId: state.ownerId } }, reserved];
};

/** Releasing is idempotent and only the holder can release. */
export const decideUniqueKey = (command: UniqueKeyCommand, state: UniqueKeyState): UniqueKeyEvent[] => {
  switch (command.type) {
    case 'ReserveUniqueKey':
      return reserve(command, state);
    case 'ReleaseUniqueKey':
      return state.status === 'Reserved' && state.ownerId === command.data.ownerId
        ? [{ type: 'UniqueKeyReleased', data: { key: state.key, ownerId: state.ownerId } }]
        : [];
    default:
      return assertNever(command);
  }
};

export const evolveUniqueKey = (state: UniqueKeyState, event: UniqueKeyEvent): UniqueKeyState => {
  switch (event.type) {
    case 'UniqueKeyReserved':
      return { status: 'Reserved', ...event.data };
    case 'UniqueKeyReleased':
      return state.status === 'Reserved' && state.ownerId === event.data.ownerId ? { status: 'Free' } : state;
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const uniqueKeyDecider: Decider<UniqueKeyState, UniqueKeyCommand, UniqueKeyEvent> = {
  decide: decideUniqueKey,
  evolve: evolveUniqueKey,
  initialState: initialUniqueKeyState,
};
