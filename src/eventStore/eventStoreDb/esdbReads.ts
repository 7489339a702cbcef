/**
 * Reads of `$all` that never leave a gRPC call open, and with a server-side filter.
 *
 * Why: leaving a driver read with `break` destroys only the driver's wrapper stream
 * (`dist/streams/utils/ReadStream.js`); the gRPC stream under it is unpiped and paused, so it
 * never finishes: the server keeps the call open (flow control stops it, it is never
 * cancelled), and `client.dispose()` (`dist/Client/index.js`) waits for every gRPC stream it
 * created to finish, forever. So every read here is bounded on the server (`maxCount`) and
 * read to its end; a reader that stops early (or throws) cancels the call with the wrapper's
 * own `cancel()` and drains what is left, which lets the gRPC stream end.
 *
 * The driver's `readAll` (6.2.1) always sends "no filter", so a filtered read would pull every
 * event of the log to the client. `readAllFiltered` sends the same `ReadReq` with a filter,
 * which the server (20.10+) supports for reads of `$all`; it is built exactly as the driver's
 * own `subscribeToAll` builds its filter, and goes through the driver's own call set-up
 * (`GRPCStreamCreator`, `callArguments`: protected members, hence the cast below) and its
 * `ReadStream`. test/eventStore/eventStoreDbDriver.test.ts drives it through a real gRPC server,
 * so a driver upgrade that changes these internals fails there.
 */
import {
  BACKWARDS,
  END,
  EVENT_TYPE,
  START,
  STREAM_NAME,
  type AllStreamResolvedEvent,
  type Direction,
  type EventStoreDBClient,
  type Filter,
  type ReadPosition,
} from '@eventstore/db-client';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import readStreamModule from '@eventstore/db-client/dist/streams/utils/ReadStream.js';
import convertModule from '@eventstore/db-client/dist/utils/convertGrpcEvent.js';

/** A driver read: an async iterable the driver can cancel (`ReadStream`). */
export interface CancellableRead<T> extends AsyncIterable<T> {
  cancel(): Promise<void>;
}

/**
 * Reads `read` to its end, handing each item to `visit`; `visit` returns false to stop. On a
 * stop or a throw the call is cancelled and the rest drained (discarded), so the gRPC stream
 * finishes; a throw from `visit` is rethrown after that.
 */
export async function drainRead<T>(read: CancellableRead<T>, visit: (item: T) => boolean | void): Promise<void> {
  let wanted = true;
  let cancelling: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  for await (const item of read) {
    if (!wanted) continue;
    let more: boolean | void;
    try {
      more = visit(item);
    } catch (error) {
      failure = { error };
      more = false;
    }
    if (more === false) {
      wanted = false;
      cancelling = read.cancel().catch(() => undefined);
    }
  }
  await cancelling;
  if (failure) throw failure.error;
}

interface DriverInternals {
  GRPCStreamCreator(
    client: unknown,
    debugName: string,
    creator: (grpcClient: { read(request: unknown, ...args: unknown[]): unknown }) => unknown,
  ): () => Promise<unknown>;
  callArguments(options: object, callOptions?: object): unknown[];
}

type ReadStreamConstructor = new (
  createGrpcStream: () => Promise<unknown>,
  convert: (event: unknown) => AllStreamResolvedEvent,
  options: object,
) => CancellableRead<AllStreamResolvedEvent>;

const { ReadReq } = streamsPb;
const { Empty } = sharedPb;
const { StreamsClient } = streamsGrpcPb;
const ReadStream = readStreamModule.ReadStream as unknown as ReadStreamConstructor;
const convertGrpcEvent = convertModule.convertGrpcEvent as unknown as (event: unknown) => AllStreamResolvedEvent;

export interface FilteredReadOptions {
  direction: Direction;
  fromPosition: ReadPosition;
  /** Events the server sends at most (after filtering); undefined: no limit. */
  maxCount?: number;
  /** Server-side filter (the driver's `streamNameFilter`, `eventTypeFilter`, `excludeSystemEvents`). */
  filter: Filter;
}

function toFilterOptions(filter: Filter): InstanceType<typeof ReadReq.Options.FilterOptions> {
  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('prefixes' in filter) expression.setPrefixList(filter.prefixes);
  if ('regex' in filter) expression.setRegex(filter.regex);
  const options = new ReadReq.Options.FilterOptions();
  if (filter.filterOn === STREAM_NAME) options.setStreamIdentifier(expression);
  if (filter.filterOn === EVENT_TYPE) options.setEventType(expression);
  options.setCount(new Empty());
  options.setCheckpointintervalmultiplier(1);
  return options;
}

/** A read of `$all` (not a subscription) with a server-side filter. */
export function readAllFiltered(
  client: EventStoreDBClient,
  options: FilteredReadOptions,
): CancellableRead<AllStreamResolvedEvent> {
  const all = new ReadReq.Options.AllOptions();
  if (options.fromPosition === START) all.setStart(new Empty());
  else if (options.fromPosition === END) all.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(options.fromPosition.commit.toString(10));
    position.setPreparePosition(options.fromPosition.prepare.toString(10));
    all.setPosition(position);
  }
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  const readOptions = new ReadReq.Options();
  readOptions.setAll(all);
  readOptions.setResolveLinks(false);
  readOptions.setCount(String(options.maxCount ?? Number.MAX_SAFE_INTEGER));
  readOptions.setUuidOption(uuid);
  readOptions.setReadDirection(options.direction === BACKWARDS ? 1 : 0);
  readOptions.setFilter(toFilterOptions(options.filter));
  const request = new ReadReq();
  request.setOptions(readOptions);

  const internals = client as unknown as DriverInternals;
  const createGrpcStream = internals.GRPCStreamCreator(StreamsClient, 'readAll', (grpcClient) =>
    grpcClient.read(request, ...internals.callArguments({}, { deadline: Infinity })),
  );
  return new ReadStream(createGrpcStream, convertGrpcEvent, {});
}
