import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError, type ExpectedRevision } from '../eventStore.js';

/** ESDB errors in the port's terms: conflicts and unreachable servers; others pass through. */
export function toPortError(error: unknown, streamName?: string, expected?: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new ConcurrencyError(
      streamName ?? error.streamName,
      expected ?? 'any',
      typeof actual === 'bigint' ? Number(actual) : 'no_stream',
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return new StoreUnavailableError(`EventStoreDB is unavailable: ${error.message}`, { cause: error });
  }
  return error;
}
