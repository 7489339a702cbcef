/**
 * A tiny in-process EventStoreDB gRPC endpoint for driver tests where no server can run: a real
 * @grpc/grpc-js server (the driver's own transport) serving the driver's own generated
 * `Streams` service (`Read`, `Append`) over a real socket, from an in-memory log. It is no
 * EventStoreDB: it implements only what the adapter's calls need, the way the server's gRPC API
 * documents it (reads of `$all` and of a stream, with count, direction, start/end/position and
 * stream-prefix / event-type-regex filters; catch-up subscriptions of `$all` with confirmation,
 * caught-up marker and live events; appends with expected revisions). It honours flow control
 * (waits for `drain`), so a read the client stops consuming stays open on it exactly as on a
 * server, and it counts the read calls open right now. `ServerFeatures` is not served
 * (UNIMPLEMENTED), so the driver uses the plain `Append` call.
 *
 * Positions are byte-offset-like: 100, 237, 374, … (never consecutive).
 */
import * as grpc from '@grpc/grpc-js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { randomUUID } from 'node:crypto';

const { ReadReq, ReadResp, AppendReq, AppendResp } = streamsPb;
type ReadRequest = InstanceType<typeof ReadReq>;
type ReadResponse = InstanceType<typeof ReadResp>;
type AppendRequest = InstanceType<typeof AppendReq>;
type ReadOptions = InstanceType<typeof ReadReq.Options>;

export interface FakeEvent {
  id: string;
  streamName: string;
  revision: number;
  position: number;
  type: string;
  data: unknown;
  metadata: unknown;
  createdMs: number;
}

export type SubscriptionEnd = 'stay-live' | 'end-after-caught-up';

const FIRST_POSITION = 100;
const STRIDE = 137;

const streamIdentifier = (name: string) => {
  const id = new sharedPb.StreamIdentifier();
  id.setStreamName(Buffer.from(name, 'utf8'));
  return id;
};

function eventResponse(event: FakeEvent): ReadResponse {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(event.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(streamIdentifier(event.streamName));
  recorded.setStreamRevision(String(event.revision));
  recorded.setPreparePosition(String(event.position));
  recorded.setCommitPosition(String(event.position));
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', 'application/json');
  recorded.getMetadataMap().set('created', String(BigInt(event.createdMs) * 10_000n));
  recorded.setCustomMetadata(Buffer.from(JSON.stringify(event.metadata ?? {})));
  recorded.setData(Buffer.from(JSON.stringify(event.data)));
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(String(event.position));
  const response = new ReadResp();
  response.setEvent(read);
  return response;
}

function matchesReadFilter(event: FakeEvent, options: ReadOptions): boolean {
  if (!options.hasFilter()) return true;
  const filter = options.getFilter()!;
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const subject = filter.hasStreamIdentifier() ? event.streamName : event.type;
  const prefixes = expression.getPrefixList();
  if (prefixes.length > 0) return prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(expression.getRegex()).test(subject);
}

export class FakeEsdbServer {
  readonly log: FakeEvent[] = [];
  /** Every read request's options, as objects, in arrival order. */
  readonly reads: Array<ReturnType<ReadOptions['toObject']>> = [];
  /** Read calls (reads and subscriptions) open on the server now. */
  openReads = 0;
  /** Events sent to clients, over all reads and subscriptions. */
  eventsSent = 0;
  subscriptionEnd: SubscriptionEnd = 'stay-live';
  /** Answer appends with `no_position`, as servers may. */
  appendWithoutPosition = false;
  private readonly live = new Set<(event: FakeEvent) => void>();
  private readonly server = new grpc.Server();
  private nextPosition = FIRST_POSITION;
  port = 0;

  async start(): Promise<string> {
    this.server.addService(streamsGrpcPb.StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadRequest, ReadResponse>) => void this.read(call),
      append: (call: grpc.ServerReadableStream<AppendRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        this.append(call, callback),
    } as unknown as grpc.UntypedServiceImplementation);
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  /** Appends to the in-memory log (as another writer would) and feeds live subscriptions. */
  add(streamName: string, type: string, data: unknown, options: { createdMs?: number; metadata?: unknown } = {}): FakeEvent {
    const revision = this.log.filter((e) => e.streamName === streamName).length;
    const event: FakeEvent = {
      id: randomUUID(),
      streamName,
      revision,
      position: this.nextPosition,
      type,
      data,
      metadata: options.metadata ?? { actor: 'test' },
      createdMs: options.createdMs ?? Date.now(),
    };
    this.nextPosition += STRIDE;
    this.log.push(event);
    for (const feed of this.live) feed(event);
    return event;
  }

  private async read(call: grpc.ServerWritableStream<ReadRequest, ReadResponse>): Promise<void> {
    const options = call.request.getOptions()!;
    this.reads.push(options.toObject());
    this.openReads += 1;
    let open = true;
    let wakeDrain: (() => void) | undefined;
    const close = (): void => {
      if (!open) return;
      open = false;
      this.openReads -= 1;
      wakeDrain?.();
    };
    call.on('cancelled', close);
    const send = async (response: ReadResponse): Promise<void> => {
      if (!open) return;
      if (response.hasEvent()) this.eventsSent += 1;
      if (!call.write(response)) {
        await new Promise<void>((resolve) => {
          wakeDrain = resolve;
          call.once('drain', resolve);
        });
        wakeDrain = undefined;
      }
    };
    const end = (): void => {
      if (!open) return;
      call.end();
      close();
    };

    if (options.hasStream()) {
      const name = Buffer.from(options.getStream()!.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      const stream = this.log.filter((e) => e.streamName === name);
      if (stream.length === 0) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(name));
        const response = new ReadResp();
        response.setStreamNotFound(notFound);
        await send(response);
        return end();
      }
      const backwards = options.getReadDirection() === 1;
      const from = options.getStream()!;
      let events = backwards ? [...stream].reverse() : stream;
      if (from.hasRevision()) {
        const revision = Number(from.getRevision());
        events = events.filter((e) => (backwards ? e.revision <= revision : e.revision >= revision));
      }
      for (const event of events.slice(0, Number(options.getCount()))) await send(eventResponse(event));
      return end();
    }

    const all = options.getAll()!;
    const position = all.hasPosition() ? Number(all.getPosition()!.getCommitPosition()) : undefined;
    if (options.hasSubscription()) {
      const confirmation = new ReadResp.SubscriptionConfirmation();
      confirmation.setSubscriptionId(randomUUID());
      const confirmed = new ReadResp();
      confirmed.setConfirmation(confirmation);
      await send(confirmed);
      const pending: FakeEvent[] = [];
      let catchingUp = true;
      const feed = (event: FakeEvent): void => {
        if (!matchesReadFilter(event, options)) return;
        if (catchingUp) pending.push(event);
        else void send(eventResponse(event));
      };
      this.live.add(feed);
      call.on('cancelled', () => this.live.delete(feed));
      for (const event of this.log) {
        if ((position === undefined || event.position > position) && matchesReadFilter(event, options)) await send(eventResponse(event));
      }
      for (const event of pending) await send(eventResponse(event));
      catchingUp = false;
      const caughtUp = new ReadResp();
      caughtUp.setCaughtUp(new ReadResp.CaughtUp());
      await send(caughtUp);
      if (this.subscriptionEnd === 'end-after-caught-up') {
        this.live.delete(feed);
        end();
      }
      return;
    }

    const backwards = options.getReadDirection() === 1;
    let events = backwards ? [...this.log].reverse() : this.log;
    if (position !== undefined) events = events.filter((e) => (backwards ? e.position <= position : e.position >= position));
    if (all.hasEnd() && !backwards) events = [];
    events = events.filter((e) => matchesReadFilter(e, options));
    for (const event of events.slice(0, Number(options.getCount()))) {
      if (!open) return;
      await send(eventResponse(event));
    }
    end();
  }

  private append(call: grpc.ServerReadableStream<AppendRequest, unknown>, callback: grpc.sendUnaryData<unknown>): void {
    let streamName = '';
    let expected: InstanceType<typeof AppendReq.Options> | undefined;
    const proposed: Array<{ type: string; data: unknown; metadata: unknown }> = [];
    call.on('data', (request: AppendRequest) => {
      if (request.hasOptions()) {
        expected = request.getOptions()!;
        streamName = Buffer.from(expected.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
      } else {
        const message = request.getProposedMessage()!;
        const parse = (bytes: Uint8Array): unknown => (bytes.length ? JSON.parse(Buffer.from(bytes).toString('utf8')) : {});
        proposed.push({
          type: message.getMetadataMap().get('type')!,
          data: parse(message.getData_asU8()),
          metadata: parse(message.getCustomMetadata_asU8()),
        });
      }
    });
    call.on('end', () => {
      const current = this.log.filter((e) => e.streamName === streamName).length - 1;
      const ok =
        expected!.hasAny() ||
        (expected!.hasNoStream() && current < 0) ||
        (expected!.hasStreamExists() && current >= 0) ||
        (expected!.hasRevision() && Number(expected!.getRevision()) === current);
      const response = new AppendResp();
      if (!ok) {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (current < 0) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(String(current));
        if (expected!.hasRevision()) wrong.setExpectedRevision(expected!.getRevision());
        else wrong.setExpectedNoStream(new sharedPb.Empty());
        response.setWrongExpectedVersion(wrong);
        return callback(null, response);
      }
      let last: FakeEvent | undefined;
      for (const event of proposed) last = this.add(streamName, event.type, event.data, { metadata: event.metadata });
      const success = new AppendResp.Success();
      success.setCurrentRevision(String(last!.revision));
      const position = new AppendResp.Position();
      position.setCommitPosition(String(last!.position));
      position.setPreparePosition(String(last!.position));
      if (this.appendWithoutPosition) success.setNoPosition(new sharedPb.Empty());
      else success.setPosition(position);
      response.setSuccess(success);
      callback(null, response);
    });
  }
}
