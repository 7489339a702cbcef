import { expect } from 'chai';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { exited, onLines, spawnFixture } from './fixtures/childProcess.js';

describe('SQLite event store: durability', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-kill-')));
  afterEach(() => dir.remove());

  it('given a process SIGKILLed right after acknowledging group-committed appends, when the file is reopened, then every acknowledged event is there', async function () {
    const file = dir.file('events.sqlite');
    const acknowledged: string[] = [];
    const child = spawnFixture('appendUntilKilled.ts', [file]);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));

    await new Promise<void>((resolve, reject) => {
      onLines(child, (id) => {
        acknowledged.push(id);
        if (acknowledged.length === 2000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    await exited(child);

    const store = createSqliteEventStore({ file });
    const stored = await store.readAll();
    await store.close();
    const storedIds = new Set(stored.map((e) => e.id));
    expect(acknowledged.filter((id) => !storedIds.has(id))).to.deep.equal([]);
    expect(child.signalCode).to.equal('SIGKILL');
    for (const stream of new Set(stored.map((e) => e.streamName))) {
      const revisions = stored.filter((e) => e.streamName === stream).map((e) => e.revision);
      expect(revisions).to.deep.equal(revisions.map((_, i) => i));
    }
  });
});
