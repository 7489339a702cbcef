import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEventStore } from '../../src/eventStore/createEventStore.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

describe('createEventStore', function () {
  let dir: TempDir;
  beforeEach(async () => (dir = await createTempDir('tollgate-create-')));
  afterEach(() => dir.remove());

  it('given no EVENTSTORE_URL, opens SQLite at DATA_DIR/events.sqlite, creating the directory', async function () {
    const dataDir = join(dir.path, 'nested', 'data');

    const store = await createEventStore({ dataDir });
    await store.ping();
    await store.close();

    expect(store.kind).to.equal('sqlite');
    expect(existsSync(join(dataDir, 'events.sqlite'))).to.equal(true);
  });

  it('given EVENTSTORE_URL, uses EventStoreDB (connecting lazily) and touches no file', async function () {
    const store = await createEventStore({ eventStoreUrl: 'esdb://127.0.0.1:1?tls=false', dataDir: dir.file('unused') });
    await store.close();

    expect(store.kind).to.equal('eventstoredb');
    expect(existsSync(dir.file('unused'))).to.equal(false);
  });
});
