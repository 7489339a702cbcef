import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { decodeBody, encodeBody } from '../../src/eventStore/sqlite/rowCodec.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { metadata, rejectionOf } from './eventStoreTestKit.js';

describe('SQLite event store: how rows keep events (schema version 2)', function () {
  let dir: TempDir;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-rows-');
    store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  it('given ids that are not lowercase UUIDs, then they read back exactly, and a repeated one is still refused', async function () {
    // given events whose ids are a lowercase UUID, an uppercase UUID and free text
    const ids = [randomUUID(), randomUUID().toUpperCase(), 'order-42/ünïcode'];
    await store.appendToStream('s-1', ids.map((id) => ({ id, type: 'Thing', data: {}, metadata: metadata() })));

    // then they read back as written
    expect((await store.readStream('s-1')).map((e) => e.id)).to.deep.equal(ids);
    // and each is still unique
    for (const id of ids) {
      const error = await rejectionOf(store.appendToStream('s-2', [{ id, type: 'Thing', data: {}, metadata: metadata() }]));
      expect(error).to.be.instanceOf(Error);
      expect(String((error as Error).message)).to.match(/UNIQUE/);
    }
    expect(await store.readStream('s-2')).to.deep.equal([]);
  });

  it('given short and long bodies with newlines, quotes and unusual characters, then data and metadata read back exactly; long ones are stored deflated', async function () {
    const tricky = 'line\nbreak "quoted" \u2028 \u0000 é 🎉 \\ end';
    const short = { s: '\n"é🎉' };
    const shortMetadata = { actor: 'a', occurredAt: '2025-01-01T00:00:00.000Z', correlationId: 'c' };
    const long = { s: tricky, list: Array.from({ length: 40 }, (_, i) => `item-${i}`), nested: { a: [1, 2.5, null, true] } };
    await store.appendToStream('s-1', [
      { id: randomUUID(), type: 'Short', data: short, metadata: shortMetadata },
      { id: randomUUID(), type: 'Long', data: long, metadata: metadata({ userAgent: tricky }) },
    ]);

    const [first, second] = await store.readStream('s-1');
    expect(first!.data).to.deep.equal(short);
    expect(second!.data).to.deep.equal(long);
    expect(first!.metadata).to.deep.equal(shortMetadata);
    expect(second!.metadata.userAgent).to.equal(tricky);
    await store.close();
    const db = new Database(dir.file('events.sqlite'), { readonly: true });
    const kinds = db.prepare('SELECT typeof(body) FROM events ORDER BY position').pluck().all();
    db.close();
    expect(kinds).to.deep.equal(['text', 'blob']);
    store = createSqliteEventStore({ file: dir.file('events.sqlite'), retentionIntervalMs: 0 });
  });

  it('refuses a body in an encoding it does not know instead of misreading it', function () {
    expect(() => decodeBody(Buffer.from([9, 1, 2, 3]))).to.throw('unknown encoding');
    const encoded = encodeBody(JSON.stringify({ x: 'y'.repeat(300) }), JSON.stringify(metadata()));
    expect(Buffer.isBuffer(encoded)).to.equal(true);
  });
});
