import { expect } from 'chai';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { StoreUnavailableError } from '../../src/eventStore/eventStore.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { events, rejectionOf } from './eventStoreTestKit.js';
import { exited, holdLock, release, spawnFixture } from './fixtures/childProcess.js';

const NOBODY = 65534;

describe('SQLite event store: unusable files', function () {
  let dir: TempDir;
  let file: string;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-file-');
    file = dir.file('events.sqlite');
  });
  afterEach(() => dir.remove());

  async function seed(): Promise<void> {
    const store = createSqliteEventStore({ file });
    await store.appendToStream('tick-1', events(2));
    await store.close();
  }

  it('given a corrupt file, when opening, then a clear error names the file and not a byte changes', function () {
    const garbage = Buffer.from('this is not an event store '.repeat(300));
    writeFileSync(file, garbage);

    const open = () => createSqliteEventStore({ file });

    expect(open).to.throw(StoreUnavailableError, `${file} is not a valid SQLite database`);
    expect(readFileSync(file).equals(garbage)).to.equal(true);
    expect(existsSync(`${file}-wal`)).to.equal(false);
  });

  it('given a file locked exclusively by another process, when opening, then a clear error says so', async function () {
    await seed();
    const holder = await holdLock(file, 'exclusive');
    try {
      const open = () => createSqliteEventStore({ file, busyTimeoutMs: 50 });
      expect(open).to.throw(StoreUnavailableError, `${file} is locked by another process`);
    } finally {
      await release(holder);
    }

    const store = createSqliteEventStore({ file });
    expect(await store.readStream('tick-1')).to.have.length(2);
    await store.close();
  });

  it('given another process holding the write lock, then appends fail as unavailable, reads work, and appends resume once it is released', async function () {
    await seed();
    const store = createSqliteEventStore({ file, busyTimeoutMs: 50 });
    const holder = await holdLock(file, 'write');
    let error: unknown;
    try {
      error = await rejectionOf(store.appendToStream('tick-1', events(1), { expectedRevision: 1 }));
      expect(await store.readStream('tick-1')).to.have.length(2);
    } finally {
      await release(holder);
    }

    const result = await store.appendToStream('tick-1', events(1), { expectedRevision: 1 });
    await store.close();
    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect((error as Error).message).to.include(file);
    expect(result.nextExpectedRevision).to.equal(2);
  });

  it('given a read-only file, then appends fail as unavailable, reads work, and appends resume after chmod back', async function () {
    const runAsRoot = process.getuid?.() === 0;
    if (runAsRoot) chownSync(dir.path, NOBODY, NOBODY);
    // Root starts the child, which drops to nobody once loaded (see the fixture): a child
    // started as nobody cannot load tsx from a checkout in a private directory.
    const child = spawnFixture('readOnlyScenario.ts', runAsRoot ? [file, String(NOBODY)] : [file]);
    let output = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));

    expect(await exited(child), stderr).to.equal(0);
    const report = JSON.parse(output) as Record<string, { ok: boolean; name?: string; message?: string }> & {
      readWhileReadOnly: number;
      revisions: number[];
    };

    expect(report.readOnlyAppend).to.deep.include({ ok: false, name: 'StoreUnavailableError' });
    expect(report.readOnlyAppend!.message).to.include(`${file} is read-only`);
    expect(report.readWhileReadOnly).to.equal(1);
    expect(report.appendAfterFix).to.deep.equal({ ok: true });
    expect(report.revisions).to.deep.equal([0, 1]);
  });
});
