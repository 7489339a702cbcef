import { expect } from 'chai';
import { createActorDescriber } from '../../src/audit/actorDescription.js';
import { CSV_COLUMNS, exportHistory, renderExportPage } from '../../src/audit/historyExport.js';
import { historyPages, readHistoryPage, type AuditedEntry, type HistoryQuery } from '../../src/audit/historyQuery.js';
import { nameAt, readNameTimeline } from '../../src/audit/nameTimeline.js';
import { toApplicationStreamName } from '../../src/domain/shared/streamNames.js';
import { HISTORY_CHUNK } from '../../src/audit/streamCursor.js';
import { DomainError } from '../../src/domain/shared/domainError.js';
import { APP, CLIENT, clients, createHistoryFixture, historyQuery as query, minute, recordingReads, type HistoryFixture } from './historyFixture.js';

const label = (e: AuditedEntry): string => (e.type === 'TokenIssued' ? `T${Date.parse(e.occurredAt) / 60000 - Date.parse(minute(0).toISOString()) / 60000}` : e.type.replace('Application', ''));

describe('History query: bounded pages across retention, a rename, a rotation and a deletion', function () {
  let fixture: HistoryFixture;
  before(async () => {
    fixture = await createHistoryFixture();
  });
  after(() => fixture.close());

  const allPages = async (q: HistoryQuery) => {
    const pages: AuditedEntry[][] = [];
    let cursor: string | undefined;
    do {
      const page = await readHistoryPage(fixture.store, q, createActorDescriber(fixture.store, clients), cursor);
      pages.push(page.items);
      cursor = page.next ?? undefined;
    } while (cursor !== undefined && pages.length < 100);
    return pages;
  };
  const everything = (): string[] => {
    const tokens = fixture.keptTokenMinutes.map((m) => ({ m, l: `T${m}` }));
    const app = [{ m: 1, l: 'Created' }, { m: 10, l: 'Updated' }, { m: 20, l: 'SecretRotated' }, { m: 32, l: 'Deleted' }];
    // Same minute: the application event was appended before that minute's token.
    return [...app.map((a) => ({ ...a, k: 0 })), ...tokens.map((t) => ({ ...t, k: 1 }))]
      .sort((a, b) => a.m - b.m || a.k - b.k)
      .map((e) => e.l);
  };

  it('given tokens truncated by retention, when paged newest first, then every kept event comes once, in order, pages bounded', async function () {
    const pages = await allPages(query());

    expect(pages.flat().map(label)).to.deep.equal(everything().reverse());
    expect(pages.every((p) => p.length <= 7)).to.equal(true);
    const positions = pages.flat().map((e) => e.position);
    expect(positions).to.deep.equal([...positions].sort((a, b) => b - a));
  });

  it('when paged oldest first, then the same events in the other order', async function () {
    const pages = await allPages(query({ order: 'asc', perPage: 4 }));

    expect(pages.flat().map(label)).to.deep.equal(everything());
  });

  it('given a period, then only events at or after from and before to, in both orders', async function () {
    const period = { from: minute(10), to: minute(21) };
    const expected = ['Updated', 'T12', 'T13', 'T14', 'T15', 'T16', 'T17', 'T18', 'T19', 'SecretRotated', 'T20'];

    expect((await allPages(query({ ...period, order: 'asc', perPage: 3 }))).flat().map(label)).to.deep.equal(expected);
    expect((await allPages(query({ ...period, perPage: 5 }))).flat().map(label)).to.deep.equal([...expected].reverse());
    expect((await allPages(query({ to: minute(3) }))).flat().map(label)).to.deep.equal(['Created']);
  });

  it('given event types, then only those, from the streams that can hold them', async function () {
    const appOnly = (await allPages(query({ types: ['ApplicationUpdated', 'ApplicationDeleted'] }))).flat();
    const tokensOnly = (await allPages(query({ types: ['TokenIssued'], perPage: 100 }))).flat();
    const withoutTokens = (await allPages(query({ includeTokens: false }))).flat();

    expect(appOnly.map(label)).to.deep.equal(['Deleted', 'Updated']);
    expect(tokensOnly).to.have.length(20);
    expect(withoutTokens.map(label)).to.deep.equal(['Deleted', 'SecretRotated', 'Updated', 'Created']);
  });

  it('names the actor as they were then, and the client or console the request came through; old events read with defaults', async function () {
    const entries = (await allPages(query({ order: 'asc', perPage: 100 }))).flat();
    const byLabel = new Map(entries.map((e) => [label(e), e]));

    expect(byLabel.get('Created')).to.include({ actor: 'user-alice', actorKind: 'user', actorName: 'alice', via: null });
    expect(byLabel.get('Updated')).to.include({ actorKind: 'user', actorName: 'alice', via: 'console' });
    expect(byLabel.get('SecretRotated')).to.deep.include({ actorKind: 'client', via: { clientId: CLIENT, applicationName: 'New' } });
    expect(byLabel.get('T12')).to.include({ actorKind: 'client', actorName: 'New' });
    expect(JSON.stringify(entries)).not.to.match(/sha256\$|scrypt\$/);
    const names = await readNameTimeline(fixture.store, toApplicationStreamName(APP), 'name');
    expect([nameAt(names, minute(5).getTime()), nameAt(names, minute(10).getTime())]).to.deep.equal(['Old', 'New']);
  });

  it('never reads a whole stream: every read is bounded by one chunk', async function () {
    const recorded = recordingReads(fixture.store);

    await readHistoryPage(recorded.store, query({ from: minute(5), to: minute(30) }), createActorDescriber(recorded.store, clients));

    expect(recorded.maxCounts.length).to.be.greaterThan(0);
    expect(recorded.maxCounts.every((n) => n !== undefined && n <= HISTORY_CHUNK)).to.equal(true);
  });

  it('given a filter that matches little, when a page has read its scan budget, then it ends early with a next cursor and nothing is lost', async function () {
    const pages = await allPages(query({ types: ['ApplicationCreated', 'TokenRevoked'], scanBudget: 5, perPage: 10 }));

    expect(pages.flat().map(label)).to.deep.equal(['Created']);
    expect(pages.length).to.be.greaterThan(2);
    expect(pages.slice(0, -1).some((p) => p.length === 0)).to.equal(true);
  });

  it('lets other work run while a page is read (it yields between chunks)', async function () {
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));

    const reading = readHistoryPage(fixture.store, query({ perPage: 50 }), createActorDescriber(fixture.store, clients));

    expect(ranMeanwhile).to.equal(false);
    await reading;
    expect(ranMeanwhile).to.equal(true);
  });

  it('given a tampered cursor or one made for the other order, then a validation error naming the cursor', async function () {
    const describe = createActorDescriber(fixture.store, clients);
    const first = await readHistoryPage(fixture.store, query(), describe);
    const tampered = Buffer.from(JSON.stringify({ v: 1, o: 'desc', a: -4, t: 'x' })).toString('base64url');

    for (const cursor of ['%%%', 'bm90IGpzb24', tampered]) {
      const error = await readHistoryPage(fixture.store, query(), describe, cursor).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DomainError).with.property('code', 'VALIDATION');
    }
    const wrongOrder = await readHistoryPage(fixture.store, query({ order: 'asc' }), describe, first.next!).catch((e: unknown) => e);
    expect(wrongOrder).to.be.instanceOf(DomainError).with.nested.property('errors[0].field', 'cursor');
  });

  it('exports the whole filtered history as JSON Lines and as injection-safe CSV', async function () {
    const read = async (format: 'jsonl' | 'csv', q: HistoryQuery) => {
      let text = '';
      for await (const chunk of exportHistory(historyPages(fixture.store, q, createActorDescriber(fixture.store, clients), renderExportPage(format)), format)) text += String(chunk);
      return text;
    };

    const jsonl = (await read('jsonl', query({ perPage: 3 }))).trimEnd().split('\n').map((line) => JSON.parse(line) as AuditedEntry);
    const csv = (await read('csv', query({ includeTokens: false, perPage: 2 }))).split('\r\n');

    expect(jsonl.map(label)).to.deep.equal(everything().reverse());
    expect(csv[0]).to.equal(CSV_COLUMNS.join(','));
    expect(csv).to.have.length(1 + 4 + 1); // header, four events, the final line break
    const created = csv[4]!;
    expect(created).to.include(`"'=HYPERLINK(""http://evil"")"`);
    expect(created.startsWith(minute(1).toISOString())).to.equal(true);
    expect(csv[3]).to.include(',console,');
  });
});
