/**
 * The SQLite writer thread. better-sqlite3 is synchronous, so a commit (inserts + fsync) and a
 * WAL checkpoint block the thread that runs them; here they block this thread, not the main
 * thread serving requests. This thread owns the only connection that writes: group-committed
 * batches, stream max ages, retention deletes, and the WAL checkpoints that follow commits
 * (wal_autocheckpoint, set by openDatabase, runs on the committing connection: this one).
 *
 * One message at a time, in arrival order: the main thread keeps one batch in flight, and a
 * reply is posted only after the transaction has committed (synchronous=FULL: fsynced). A
 * thread serves one store at a time, from its `open` to its `close` (writerThreads.ts).
 */
import { parentPort } from 'node:worker_threads';
import { writeBatch } from './appendBatch.js';
import { openDatabase } from './openDatabase.js';
import { needsReopen } from './sqliteErrors.js';
import { prepareStatements, type Statements } from './statements.js';
import {
  fromWireBatch,
  toWireError,
  toWireOutcomes,
  type WireOutcome,
  type WriterCalls,
  type WriterConfig,
  type WriterReply,
  type WriterRequest,
} from './writerProtocol.js';

const port = parentPort!;

// Set by `open`. The connection is opened by the first write rather than then, so an open error
// is that write's answer (the main thread already opened and checked the file: this fails only
// if the file changed since) and the next write tries again.
let config: WriterConfig | undefined;
let statements: Statements | undefined;
// A connection keeps the mode it was opened with (e.g. read-only): after such an error the next
// write reopens it, so the store recovers once the file is fixed.
let reopenBeforeNextWrite = false;

const connection = (): Statements => {
  if (config === undefined) throw new Error('writer: no file is open');
  if (statements === undefined || reopenBeforeNextWrite) {
    const db = openDatabase(config.file, config.busyTimeoutMs); // if this fails, the old connection stays
    statements?.db.close();
    statements = prepareStatements(db);
    reopenBeforeNextWrite = false;
  }
  return statements;
};

const enforceRetention = (s: Statements, now: Date): number =>
  s.db.transaction(() => {
    let deleted = 0;
    for (const { id, max_age } of s.streamsWithMaxAge.all()) {
      deleted += s.deleteRecordedBefore.run(id, now.getTime() - max_age * 1000).changes;
    }
    return deleted;
  })();

function handle(request: WriterRequest): WriterCalls[WriterRequest['call']]['reply'] {
  switch (request.call) {
    case 'open':
      statements?.db.close(); // none: the previous store's `close` closed it
      statements = undefined;
      config = { file: request.file, busyTimeoutMs: request.busyTimeoutMs };
      reopenBeforeNextWrite = false;
      return null;
    case 'append':
      // Per-append failures (conflicts, duplicate ids) are outcomes; a failure of the file
      // itself aborts the whole transaction and is thrown, as on the main thread before.
      return toWireOutcomes(
        writeBatch(connection(), fromWireBatch(request.batch), request.recordedAt).map(
          (outcome): WireOutcome => (outcome.ok ? outcome : { ok: false, error: toWireError(outcome.error) }),
        ),
      );
    case 'setStreamMaxAge':
      connection().setStreamMaxAge.run(request.streamName, request.maxAgeSeconds);
      return null;
    case 'retention':
      return enforceRetention(connection(), new Date(request.now));
    case 'close':
      statements?.db.close();
      statements = undefined;
      config = undefined;
      return null;
    default: {
      const unknown: never = request;
      throw new TypeError(`writer: unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = { id: request.id, ok: true, value: handle(request) };
  } catch (error) {
    if (needsReopen(error)) reopenBeforeNextWrite = true;
    reply = { id: request.id, ok: false, error: toWireError(error) };
  }
  port.postMessage(reply);
});
