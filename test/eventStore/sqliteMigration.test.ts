import { randomUUID } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { StoreUnavailableError, type RecordedEvent } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { upcastWithDefaults } from '../../src/eventStore/upcasters.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import {
  deleteFromSchemaV1File,
  readSchemaV1File,
  userVersionOf,
  writeSchemaV1File,
  type V1Event,
} from '../support/sqliteSchemaV1.js';
import { exited, onLines, spawnFixture } from './fixtures/childProcess.js';
import { rejectionOf } from './eventStoreTestKit.js';

const applicationId = randomUUID();
const tokens = `oauthTokens-${applicationId}`;
const application = `oauthApplication-${applicationId}`;
const t0 = Date.parse('2025-06-01T00:00:00.000Z');
const at = (ms: number): string => new Date(t0 + ms).toISOString();

/** What the first release wrote: full TokenIssued (no schema marker), ApplicationCreated v1, odd ids and text. */
function firstReleaseEvents(tokenCount: number): V1Event[] {
  const events: V1Event[] = [
    {
      id: randomUUID(), stream: application, type: 'ApplicationCreated', recordedAt: at(0),
      data: { applicationId, clientId: 'cid', secretHash: 'sha256$s$h', name: 'Shop', organizationId: 'o1', ownerUserId: null, active: true, grant: 'client_credentials', allApis: true, apis: [] },
      metadata: { actor: 'bootstrap', occurredAt: at(0), correlationId: randomUUID() },
    },
    {
      id: 'not-a-uuid-id', stream: 'user-u1', type: 'UserProfileUpdated', recordedAt: at(1),
      data: { email: { from: 'a@b.c', to: 'é\n"quoted"\u2028@x.y' } },
      metadata: { actor: 'user-1', occurredAt: at(1), correlationId: 'corr-not-uuid', ip: '::1' },
    },
  ];
  for (let i = 0; i < tokenCount; i += 1) {
    events.push({
      id: randomUUID(), stream: tokens, type: 'TokenIssued', recordedAt: at(10 + i),
      data: { jti: randomUUID(), applicationId, clientId: 'cid', grant: 'client_credentials', sub: randomUUID(), aud: ['https://t.example/api', 'https://t.example/admin'], scope: 'a b', exp: Math.floor((t0 + 10 + i) / 1000) + 300 },
      metadata: { actor: 'client:cid', occurredAt: at(10 + i), correlationId: randomUUID(), ip: '203.0.113.7', userAgent: 'curl/8.5.0' },
    });
  }
  return events;
}

const expectedAfterUpgrade = (v1: RecordedEvent[]): RecordedEvent[] => v1.map(upcastWithDefaults);

describe('SQLite event store: opening a file of the first release (schema version 1)', function () {
  this.timeout(60_000);
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-migrate-')));
  afterEach(() => dir.remove());

  it('upgrades it in place and reads the same events: positions, revisions, ids, data and metadata (after upcasting), times', async function () {
    // given a version 1 file whose token stream was truncated by retention and whose newest event was deleted
    const file = dir.file('events.sqlite');
    writeSchemaV1File(file, firstReleaseEvents(50), { [tokens]: 3600 });
    deleteFromSchemaV1File(file, [3, 4, 52]);
    const before = readSchemaV1File(file);

    // when the store opens it
    const store = createSqliteEventStore({ file, retentionIntervalMs: 0 });
    try {
      // then it is version 2 and every event reads as before (upcast as the store always did)
      expect(userVersionOf(file)).to.equal(2);
      const expected = expectedAfterUpgrade(before);
      expect(await store.readAll()).to.deep.equal(expected);
      expect(await store.readStream(tokens)).to.deep.equal(expected.filter((e) => e.streamName === tokens));
      expect(await store.readStream('user-u1', { direction: 'backwards' })).to.deep.equal(expected.filter((e) => e.streamName === 'user-u1'));
      expect(await store.readAll({ filter: { eventTypes: ['ApplicationCreated'] } })).to.deep.equal([expected[0]]);

      // and the counters carry over: the next position follows the deleted newest one, revisions continue
      const appended = await store.appendToStream(tokens, [{ id: randomUUID(), type: 'TokenRevoked', data: { jti: 'x' }, metadata: { actor: 'a', occurredAt: at(99), correlationId: 'c' } }], { expectedRevision: 49 });
      expect(appended).to.deep.equal({ nextExpectedRevision: 50, position: 53 });
      expect(await rejectionOf(store.appendToStream('user-u1', [{ id: randomUUID(), type: 'X', data: {}, metadata: { actor: 'a', occurredAt: at(99), correlationId: 'c' } }], { expectedRevision: 'no_stream' }))).to.have.property('name', 'ConcurrencyError');

      // and the stream's max age still applies
      const deleted = await store.enforceRetention(new Date(t0 + 3600_000 + 20));
      expect(deleted).to.equal(8); // TokenIssued recorded at 10..19 ms, less the two deleted before
    } finally {
      await store.close();
    }
  });

  it('upgrades an empty file of the first release, keeping its position counter', async function () {
    const file = dir.file('events.sqlite');
    writeSchemaV1File(file, firstReleaseEvents(0));
    deleteFromSchemaV1File(file, [1, 2]);

    const store = createSqliteEventStore({ file, retentionIntervalMs: 0 });
    try {
      expect(await store.readAll()).to.deep.equal([]);
      const appended = await store.appendToStream('s-1', [{ id: randomUUID(), type: 'X', data: {}, metadata: { actor: 'a', occurredAt: at(1), correlationId: 'c' } }]);
      expect(appended.position).to.equal(3);
    } finally {
      await store.close();
    }
  });

  it('given the process is SIGKILLed during the upgrade, then the file is the old one or the new one, never broken, and opens with the same events', async function () {
    // given a version 1 file large enough for the upgrade to take many pages
    const file = dir.file('events.sqlite');
    writeSchemaV1File(file, firstReleaseEvents(30_000));
    const before = readSchemaV1File(file);

    // when a process upgrading it is killed after its first page
    const child = spawnFixture('migrateOnce.ts', [file]);
    const lines: string[] = [];
    const killed = new Promise<void>((resolve) =>
      onLines(child, (line) => {
        lines.push(line);
        if (line.startsWith('copied')) {
          child.kill('SIGKILL');
          resolve();
        }
      }),
    );
    await killed;
    await exited(child);

    // then it was killed mid-upgrade, and the file is intact at one version or the other
    expect(lines).not.to.include('done');
    expect(userVersionOf(file)).to.be.oneOf([1, 2]);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).to.equal('ok');
    check.close();

    // and opening it again upgrades it and reads the same events
    const store = createSqliteEventStore({ file, retentionIntervalMs: 0 });
    try {
      expect(userVersionOf(file)).to.equal(2);
      expect(await store.readAll()).to.deep.equal(expectedAfterUpgrade(before));
    } finally {
      await store.close();
    }
  });

  it('given two processes opening the same first-release file at once, then one upgrades it, the other waits and uses it, and the events are the same', async function () {
    // given a version 1 file
    const file = dir.file('events.sqlite');
    writeSchemaV1File(file, firstReleaseEvents(3_000));
    const before = readSchemaV1File(file);

    // when two processes open it at the same time
    const children = [spawnFixture('migrateOnce.ts', [file]), spawnFixture('migrateOnce.ts', [file])];
    const outputs = children.map((child) => {
      const lines: string[] = [];
      onLines(child, (line) => lines.push(line));
      return lines;
    });
    const codes = await Promise.all(children.map(exited));

    // then both open it, exactly one of them copied the events, and the events read as before
    expect(codes).to.deep.equal([0, 0]);
    expect(outputs.map((lines) => lines.at(-1))).to.deep.equal(['done', 'done']);
    expect(outputs.filter((lines) => lines.some((line) => line.startsWith('copied')))).to.have.length(1);
    const store = createSqliteEventStore({ file, retentionIntervalMs: 0 });
    try {
      expect(await store.readAll()).to.deep.equal(expectedAfterUpgrade(before));
    } finally {
      await store.close();
    }
  });

  it('refuses a file of a newer schema than it reads, naming the file, and leaves it untouched', async function () {
    // given a file a later version wrote (schema version 3)
    const file = dir.file('events.sqlite');
    writeSchemaV1File(file, firstReleaseEvents(1));
    const db = new Database(file);
    db.pragma('user_version = 3');
    db.pragma('journal_mode = DELETE');
    db.close();
    await copyFile(file, dir.file('copy'));

    // when the store opens it, then a clear error says why, and not a byte changed
    let error: unknown;
    try {
      createSqliteEventStore({ file }).close();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect((error as Error).message).to.include(file).and.include('schema version 3');
    expect((await readFile(file)).equals(await readFile(dir.file('copy')))).to.equal(true);
  });
});
