import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError, type ExpectedRevision } from '../eventStore.js';

/**
 * A raw gRPC `ServiceError` (numeric code, string details, metadata) as the driver's class;
 * anything else unchanged. The driver's own test is looser (any numeric `code`), and its
 * conversion then reads `details`, which e.g. a MongoDB error thrown by a projection handler
 * does not have.
 */
function fromGrpc(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, details, metadata } = error as Error & { code?: unknown; details?: unknown; metadata?: unknown };
  if (typeof code !== 'number' || typeof details !== 'string' || typeof metadata !== 'object' || metadata === null) return error;
  return convertToCommandError(error);
}

/**
 * The reason an ESDB failure means "the store cannot serve this now", or undefined when it is
 * not such a failure. Raw gRPC errors (`ServiceError`, e.g. the server-features probe an
 * append makes first rejects with a bare code 14) are first converted with the driver's own
 * `convertToCommandError`, so they get the same answer as the driver's classes.
 */
export function unavailableReason(error: unknown): string | undefined {
  const converted = fromGrpc(error);
  if (converted instanceof UnavailableError) return 'is unreachable';
  if (converted instanceof DeadlineExceededError) return 'did not answer in time';
  if (converted instanceof TimeoutError) return 'aborted the call (timeout)';
  if (converted instanceof NotLeaderError) return 'is not the leader';
  if (converted instanceof CancelledError) return 'cancelled the call';
  if (converted instanceof AccessDeniedError) return 'refused the credentials (access denied)';
  if (converted instanceof StreamDeletedError) return `refused a deleted stream (${converted.streamName})`;
  // Cluster discovery gives up with a plain Error (`Client/discovery.js`).
  if (converted instanceof Error && converted.message.startsWith('Failed to discover after')) return 'cluster discovery failed';
  return undefined;
}

/**
 * ESDB errors in the port's terms: a wrong expected version is a `ConcurrencyError`, every
 * "cannot serve now" failure a `StoreUnavailableError` (503 + Retry-After); anything else
 * passes through unchanged (a bug: 500).
 */
export function toPortError(error: unknown, streamName?: string, expected?: ExpectedRevision): unknown {
  const converted = fromGrpc(error);
  if (converted instanceof WrongExpectedVersionError) {
    const actual = converted.actualVersion;
    return new ConcurrencyError(
      streamName ?? converted.streamName,
      expected ?? 'any',
      typeof actual === 'bigint' ? Number(actual) : 'no_stream',
    );
  }
  const reason = unavailableReason(converted);
  if (reason !== undefined) return new StoreUnavailableError(`EventStoreDB ${reason}`, { cause: error });
  return error;
}

/** `toPortError` for places that need an `Error` (subscription callbacks). */
export const toPortErrorObject = (error: unknown): Error => {
  const mapped = toPortError(error);
  return mapped instanceof Error ? mapped : new Error(String(mapped));
};
