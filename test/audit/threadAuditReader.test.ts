import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createInProcessAuditReader, type AuditReader } from '../../src/audit/auditReader.js';
import { csvRow } from '../../src/audit/csv.js';
import { CSV_COLUMNS } from '../../src/audit/historyExport.js';
import type { HistoryPage, HistoryQuery } from '../../src/audit/historyQuery.js';
import { AUDIT_READER_NICENESS } from '../../src/audit/threadPriority.js';
import { createThreadAuditReader, type ThreadAuditReader } from '../../src/audit/threadAuditReader.js';
import { DomainError } from '../../src/domain/shared/domainError.js';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import { StoreUnavailableError, type NewEvent } from '../../src/eventStore/eventStore.js';
import { createTempDir } from '../support/tempDir.js';
import { APP, CLIENT, clients, createHistoryFixture, historyQuery as query, minute, type HistoryFixture } from './historyFixture.js';


/** Every page of a query, following next to the end. */
async function allPages(reader: AuditReader, q: HistoryQuery): Promise<HistoryPage[]> {
  const pages: HistoryPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.readHistoryPage(q, cursor);
    pages.push(page);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

/** An export's text, each page read before the next is asked for (a thread's page is a view of a reused buffer). */
async function exported(reader: AuditReader, q: HistoryQuery, format: 'jsonl' | 'csv'): Promise<string> {
  let text = format === 'csv' ? csvRow(CSV_COLUMNS) : '';
  for await (const page of reader.exportPages(q, format)) text += typeof page === 'string' ? page : Buffer.from(page).toString('utf8');
  return text;
}

const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe('Audit reader thread: the same history as in process, off the main thread, at low priority', function () {
  this.timeout(60_000);
  let fixture: HistoryFixture;
  let thread: ThreadAuditReader;
  let inProcess: AuditReader;
  before(async () => {
    fixture = await createHistoryFixture();
    thread = createThreadAuditReader({ file: fixture.store.file, clients });
    inProcess = createInProcessAuditReader(fixture.store, clients);
  });
  after(async () => {
    await thread.close();
    await fixture.close();
  });

  it('given application and token events across retention, when paged to the end in both orders and with filters, then the same pages and cursors as in process, each event once', async function () {
    for (const q of [
      query(),
      query({ order: 'asc', perPage: 3 }),
      query({ from: minute(10), to: minute(21), perPage: 5 }),
      query({ types: ['ApplicationUpdated', 'TokenIssued'], perPage: 4 }),
      query({ includeTokens: false, perPage: 2 }),
    ]) {
      const [onThread, here] = [await allPages(thread, q), await allPages(inProcess, q)];

      expect(onThread).to.deep.equal(here);
      const positions = onThread.flatMap((page) => page.items.map((entry) => entry.position));
      expect(new Set(positions).size).to.equal(positions.length);
    }
    const everything = (await allPages(thread, query({ perPage: 100 })))[0]!;
    expect(everything.next).to.equal(null);
    expect(everything.items).to.have.length(4 + fixture.keptTokenMinutes.length);
    // via and actorName come from the main thread's client directory, as in process.
    expect(everything.items.find((entry) => entry.type === 'ApplicationSecretRotated')).to.deep.include({ actorKind: 'client', via: { clientId: CLIENT, applicationName: 'New' } });
  });

  it('given a page as JSON, then the entries serialized on the thread arrive as UTF-8 bytes of the in-process entries as JSON', async function () {
    const first = await inProcess.readHistoryPage(query());

    const json = await thread.readHistoryPageJson(query());

    // Bytes whose buffer was transferred: the page text never enters the main thread's heap.
    expect(json.items).to.be.instanceOf(Uint8Array);
    expect(Buffer.from(json.items as Uint8Array).toString('utf8')).to.equal(JSON.stringify(first.items));
    expect(json.next).to.equal(first.next);
  });

  it('given exports as JSON Lines and CSV, then the same bytes as in process', async function () {
    for (const format of ['jsonl', 'csv'] as const) {
      const q = query({ perPage: 3 });
      expect(await exported(thread, q, format)).to.equal(await exported(inProcess, q, format));
    }
  });

  it('given an export of pages that fit its buffer, then every page is a view of the one buffer shared with the thread (nothing allocated per page here)', async function () {
    const buffers = new Set<ArrayBufferLike>();
    let pages = 0;

    for await (const page of thread.exportPages(query({ perPage: 3 }), 'jsonl')) {
      pages += 1;
      if (typeof page !== 'string') buffers.add(page.buffer);
    }

    expect(pages).to.be.greaterThan(3);
    expect(buffers.size).to.equal(1);
    expect([...buffers][0]).to.be.instanceOf(SharedArrayBuffer);
  });

  it('given a tampered cursor or one made for the other order, then the same validation error as in process', async function () {
    const first = await thread.readHistoryPage(query());
    const tampered = Buffer.from(JSON.stringify({ v: 1, o: 'desc', a: -4, t: 'x' })).toString('base64url');

    for (const [q, cursor] of [[query(), '%%%'], [query(), tampered], [query({ order: 'asc' }), first.next!]] as const) {
      const [onThread, here] = [await rejection(thread.readHistoryPage(q, cursor)), await rejection(inProcess.readHistoryPage(q, cursor))];

      expect(onThread).to.be.instanceOf(DomainError).with.property('code', 'VALIDATION');
      const { message, errors } = onThread as DomainError;
      expect({ message, errors }).to.deep.equal({ message: (here as DomainError).message, errors: (here as DomainError).errors });
    }
  });

  it('given Linux, then the thread runs at niceness 19 (its own task, not the process)', function () {
    if (process.platform !== 'linux') this.skip();
    return thread.threadStatus().then(({ tid, niceness }) => {
      expect(tid).to.be.a('number');
      expect(niceness).to.equal(AUDIT_READER_NICENESS);
      expect(getPriority(tid!)).to.equal(19);
      // /proc/<pid>/task/<tid>/stat, field 19 (nice); the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      expect(Number(fields[19 - 3])).to.equal(19);
      expect(getPriority(process.pid)).to.not.equal(19);
    });
  });
});

describe('Audit reader thread: a long stream, and a thread that dies', function () {
  this.timeout(60_000);
  let fixture: HistoryFixture;
  let thread: ThreadAuditReader;
  before(async () => {
    fixture = await createHistoryFixture();
    // Enough token events that a page of a type nothing matches reads for a while (its scan budget).
    for (let written = 0; written < 15_000; written += 500) {
      const batch: NewEvent[] = Array.from({ length: 500 }, (_, i) => ({
        id: randomUUID(),
        type: 'TokenIssued',
        data: { jti: `bulk-${written + i}`, applicationId: APP, clientId: CLIENT, grant: 'client_credentials' },
        metadata: { actor: `client:${CLIENT}`, occurredAt: minute(40).toISOString(), correlationId: randomUUID() },
      }));
      await fixture.store.appendToStream(toTokensStreamName(APP), batch);
    }
    thread = createThreadAuditReader({ file: fixture.store.file, clients });
  });
  after(async () => {
    await thread.close();
    await fixture.close();
  });

  it('given an export being pulled page after page, when a page is asked meanwhile, then it is answered before the export ends (turns in arrival order)', async function () {
    const pages = thread.exportPages(query({ perPage: 100 }), 'jsonl')[Symbol.asyncIterator]();
    let exportDone = false;
    let pulled = 0;
    const pulling = (async () => {
      while (!(await pages.next()).done) pulled += 1;
      exportDone = true;
    })();
    await pages.next(); // the export is under way (its first page taken here)

    const page = await thread.readHistoryPage(query({ perPage: 5 }));

    expect(page.items).to.have.length(5);
    expect(exportDone).to.equal(false);
    await pulling;
    expect(pulled).to.be.greaterThan(100);
  });

  it('given a page being read, when the thread dies, then the page fails as store unavailable (no internals), and the next page is read by a new thread', async function () {
    await thread.threadStatus();
    const first = thread.worker!;

    const reading = rejection(thread.readHistoryPage(query({ types: ['TokenRevoked'] })));
    await first.terminate();

    const error = await reading;
    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect((error as Error).message).to.match(/^Audit reads failed: the audit reader thread stopped/);
    const page = await thread.readHistoryPage(query({ perPage: 2 }));
    expect(page.items).to.have.length(2);
    expect(thread.worker).to.not.equal(first);
  });

  it('given an export after its first page, when the thread dies, then the next page fails as store unavailable, and the next export is whole', async function () {
    const q = query({ perPage: 100 });
    const pages = thread.exportPages(q, 'jsonl')[Symbol.asyncIterator]();
    const firstPage = await pages.next();
    expect(firstPage.done).to.equal(false);

    await thread.worker!.terminate();

    expect(await rejection(pages.next())).to.be.instanceOf(StoreUnavailableError);
    const whole = await exported(thread, q, 'jsonl');
    expect(whole.trimEnd().split('\n')).to.have.length(4 + 20 + 15_000);
  });

  it('given a closed reader, then reads are refused as store unavailable and no thread runs', async function () {
    const closing = createThreadAuditReader({ file: fixture.store.file, clients });
    await closing.readHistoryPage(query({ perPage: 1 }));

    await closing.close();

    expect(closing.worker).to.equal(undefined);
    expect(await rejection(closing.readHistoryPage(query()))).to.be.instanceOf(StoreUnavailableError);
  });

});

describe('Audit reader thread: export pages larger than the shared buffer', function () {
  this.timeout(60_000);

  it('given events whose page is larger than the export buffer, then those pages come as bytes of their own and the export is the same text as in process', async function () {
    const fixture = await createHistoryFixture();
    const thread = createThreadAuditReader({ file: fixture.store.file, clients });
    try {
      // given 3 token events of ~200 kB each (non-ASCII included), 2 to a page: ~400 kB pages
      const padding = 'é€'.repeat(70_000);
      await fixture.store.appendToStream(toTokensStreamName(APP), Array.from({ length: 3 }, (_, i) => ({
        id: randomUUID(),
        type: 'TokenIssued',
        data: { jti: `big-${i}`, applicationId: APP, clientId: CLIENT, grant: 'client_credentials', padding },
        metadata: { actor: `client:${CLIENT}`, occurredAt: minute(45).toISOString(), correlationId: randomUUID() },
      })));
      const q = query({ perPage: 2, types: ['TokenIssued'], from: minute(45) });

      // when exported through the thread
      let ownBuffers = 0;
      let text = '';
      for await (const page of thread.exportPages(q, 'jsonl')) {
        if (typeof page !== 'string' && !(page.buffer instanceof SharedArrayBuffer)) ownBuffers += 1;
        text += typeof page === 'string' ? page : Buffer.from(page).toString('utf8');
      }

      // then the large pages did not go through the shared buffer, and nothing was cut or garbled
      expect(ownBuffers).to.be.greaterThan(0);
      expect(text).to.equal(await exported(createInProcessAuditReader(fixture.store, clients), q, 'jsonl'));
      expect(text.trimEnd().split('\n')).to.have.length(3);
    } finally {
      await thread.close();
      await fixture.close();
    }
  });
});

describe('Audit reader thread: the process', function () {
  this.timeout(60_000);

  it('given a process that read through the thread and left the reader open, then the process still exits by itself', async function () {
    const dir = await createTempDir('tollgate-reader-open-');
    try {
      const script = new URL('./support/readerLeftOpen.ts', import.meta.url);
      const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(script), dir.file('events.sqlite')], { encoding: 'utf8', timeout: 30_000 });

      expect(run.signal).to.equal(null); // not killed by the timeout: it ended on its own
      expect(run.status).to.equal(0);
      expect(run.stdout.trim()).to.equal('1');
    } finally {
      await dir.remove();
    }
  });
});
