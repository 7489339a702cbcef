import { expect } from 'chai';
import { StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createWriterClient } from '../../src/eventStore/sqlite/writerClient.js';
import { fromWireOutcomes, toWireBatch, type WireAppend } from '../../src/eventStore/sqlite/writerProtocol.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, rejectionOf } from './eventStoreTestKit.js';
import { exited, holdLock, onLines, release, spawnFixture } from './fixtures/childProcess.js';

const wireAppend = (streamName: string, count: number): WireAppend => ({
  streamName,
  expectedRevision: 'any',
  rows: events(count).map((e) => ({ id: e.id, type: e.type, data: '{}', metadata: '{}' })),
});
const append = (streamName: string, count = 1) => ({ batch: toWireBatch([wireAppend(streamName, count)]), recordedAt: new Date().toISOString() });
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SQLite event store: the writer thread', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-wt-')));
  afterEach(() => dir.remove());

  it('given a per-process node flag a worker may not take (--max-old-space-size), when the store writes, then its writer thread starts anyway', async function () {
    this.timeout(30_000);
    // Passing execArgv explicitly made Worker refuse these (ERR_WORKER_INVALID_EXEC_ARGV).
    const child = spawnFixture('appendOnce.ts', [dir.file('e.sqlite')], {}, ['--max-old-space-size=512']);
    const lines: string[] = [];
    onLines(child, (line) => lines.push(line));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    expect(await exited(child), stderr).to.equal(0);
    expect(lines).to.deep.equal(['appended 0']);
  });

  it('given an append waiting for another process to release the write lock, then this thread keeps serving reads and timers, and the append commits after the release', async function () {
    const file = dir.file('e.sqlite');
    const store = createSqliteEventStore({ file, busyTimeoutMs: 15_000 });
    await store.appendToStream('s', events(1));
    const holder = await holdLock(file, 'write');
    let settled = false;

    const waiting = store.appendToStream('s', events(1), { expectedRevision: 0 }).finally(() => (settled = true));
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();
    const readWhileWaiting = await store.readStream('s');
    const settledWhileLocked = settled;
    await release(holder);

    const result = await waiting;
    await store.close();
    expect(settledWhileLocked).to.equal(false);
    expect(readWhileWaiting).to.have.length(1);
    expect(result.nextExpectedRevision).to.equal(1);
  });

  it('given the writer thread dies with requests unanswered, then they fail as unavailable and the next request gets a new thread', async function () {
    const writer = createWriterClient({ file: dir.file('e.sqlite'), busyTimeoutMs: 5000 });
    await writer.call('append', append('warm-up'));
    const dying = writer.worker!;
    const threadId = dying.threadId;

    // The big batch keeps the thread busy long after terminate() is called, so the small one
    // behind it cannot have been answered.
    const big = writer.call('append', append('big', 20_000));
    const behind = writer.call('append', append('behind'));
    void dying.terminate();
    const [bigError, behindError] = await Promise.all([rejectionOf(big), rejectionOf(behind)]);
    const after = await writer.call('append', append('after'));
    const newThreadId = writer.worker!.threadId;
    await writer.close();

    expect(bigError).to.be.instanceOf(StoreUnavailableError);
    expect(behindError).to.be.instanceOf(StoreUnavailableError);
    expect((behindError as Error).message).to.include('writer thread');
    expect(fromWireOutcomes(after).map((outcome) => outcome.ok)).to.deep.equal([true]);
    expect(newThreadId).not.to.equal(threadId);
  });

  it('given a store closed, then its idle thread serves the next store, writing that store\'s file', async function () {
    const takesAnyIdleThread = createWriterClient({ file: dir.file('a.sqlite'), busyTimeoutMs: 5000 });
    await takesAnyIdleThread.call('append', append('in-a'));
    const first = createWriterClient({ file: dir.file('b.sqlite'), busyTimeoutMs: 5000 });
    await first.call('append', append('in-b'));
    const threadId = first.worker!.threadId;
    await first.close();

    const second = createWriterClient({ file: dir.file('c.sqlite'), busyTimeoutMs: 5000 });
    await second.call('append', append('in-c'));
    const secondThreadId = second.worker!.threadId;
    await Promise.all([second.close(), takesAnyIdleThread.close()]);

    expect(secondThreadId).to.equal(threadId);
    for (const name of ['a', 'b', 'c']) {
      const store = createSqliteEventStore({ file: dir.file(`${name}.sqlite`) });
      expect((await store.readAll()).map((e) => e.streamName)).to.deep.equal([`in-${name}`]);
      await store.close();
    }
  });
});
