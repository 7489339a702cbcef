/** ESDB failures in the port's terms, checked against the driver's own error classes. */
import { expect } from 'chai';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { toPortError, unavailableReason } from '../../src/eventStore/eventStoreDb/esdbErrors.js';

/** A raw gRPC error as @grpc/grpc-js rejects a call with it (what the server-features probe throws). */
const serviceError = (code: status, details: string, exception?: string): ServiceError => {
  const metadata = new Metadata();
  if (exception) metadata.set('exception', exception);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
};

describe('EventStoreDB errors in the port terms', () => {
  it('maps a raw gRPC UNAVAILABLE (code 14, as the append probe rejects on an unreachable server) to StoreUnavailableError', () => {
    const raw = serviceError(status.UNAVAILABLE, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1');

    const mapped = toPortError(raw, 'order-1', 'any');

    expect(mapped).to.be.instanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).cause).to.equal(raw);
  });

  it('maps ABORTED, DEADLINE_EXCEEDED, UNAUTHENTICATED and a server-cancelled call, raw or as driver classes', () => {
    for (const code of [status.ABORTED, status.DEADLINE_EXCEEDED, status.UNAUTHENTICATED, status.CANCELLED]) {
      expect(toPortError(serviceError(code, 'x')), status[code]).to.be.instanceOf(StoreUnavailableError);
    }
    const raw = serviceError(status.UNAVAILABLE, 'x');
    for (const error of [
      new UnavailableError(raw),
      new DeadlineExceededError(raw),
      new TimeoutError(raw),
      new CancelledError(raw),
      new AccessDeniedError(raw),
      StreamDeletedError.fromStreamName('order-1'),
    ]) {
      expect(toPortError(error), error.constructor.name).to.be.instanceOf(StoreUnavailableError);
    }
  });

  it('maps the server exceptions access-denied, stream-deleted and not-leader carried in gRPC metadata', () => {
    const deleted = serviceError(status.FAILED_PRECONDITION, 'Event stream is deleted.', 'stream-deleted');
    deleted.metadata.set('stream-name', 'order-1');
    expect(unavailableReason(deleted)).to.equal('refused a deleted stream (order-1)');
    expect(toPortError(serviceError(status.PERMISSION_DENIED, 'Access denied', 'access-denied'))).to.be.instanceOf(StoreUnavailableError);
    const notLeader = serviceError(status.NOT_FOUND, 'Leader info available', 'not-leader');
    notLeader.metadata.set('leader-endpoint-host', '10.0.0.2');
    notLeader.metadata.set('leader-endpoint-port', '2113');
    expect(toPortError(notLeader)).to.be.instanceOf(StoreUnavailableError);
    expect(toPortError(new NotLeaderError(notLeader))).to.be.instanceOf(StoreUnavailableError);
  });

  it('maps a failed cluster discovery (a plain Error from the driver) to StoreUnavailableError', () => {
    expect(toPortError(new Error('Failed to discover after 10 attempts.'))).to.be.instanceOf(StoreUnavailableError);
  });

  it('maps a wrong expected version to ConcurrencyError with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'order-1', current: 4n, expected: 2n });

    const mapped = toPortError(error, 'order-1', 2);

    expect(mapped).to.be.instanceOf(ConcurrencyError);
    expect(mapped).to.deep.include({ streamName: 'order-1', expected: 2, actual: 4 });
  });

  it('passes other errors through unchanged, including errors that only look like gRPC ones', () => {
    const unknown = new UnknownError(serviceError(status.INTERNAL, 'boom'));
    const notFound = new StreamNotFoundError(undefined, 'order-1');
    const internal = serviceError(status.INTERNAL, 'boom');
    const mongoLike = Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    const bug = new TypeError('x is undefined');

    expect(toPortError(unknown)).to.equal(unknown);
    expect(toPortError(mongoLike)).to.equal(mongoLike);
    expect(toPortError(bug)).to.equal(bug);
    expect(toPortError(notFound)).to.equal(notFound);
    expect(toPortError(internal)).to.equal(internal);
  });

  it('never puts the server message in the public answer: the port error names only the reason', () => {
    const mapped = toPortError(serviceError(status.UNAVAILABLE, 'connect ECONNREFUSED 10.1.2.3:2113')) as Error;

    expect(mapped.message).to.equal('EventStoreDB is unreachable');
  });
});
