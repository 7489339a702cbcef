import { expect } from 'chai';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createEventStore } from '../../src/eventStore/createEventStore.js';
import { createLogger } from '../../src/logging/logger.js';
import { startTollgate } from '../../src/app/tollgate.js';
import { loadConfig } from '../../src/config/config.js';
import { createFileCheckpointStore } from '../../workers/checkpoint/fileCheckpointStore.js';
import { createOutboxMailer } from '../../workers/mail/outboxMailer.js';
import { exposedDataWarnings } from '../../src/security/privateFiles.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { freePort } from '../support/freePort.js';
import { events } from '../eventStore/eventStoreTestKit.js';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('data files are private to their owner', function () {
  this.timeout(30_000);
  let dir: TempDir;
  let previousUmask: number;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-modes-');
    previousUmask = process.umask(0o022); // the usual umask, which alone would give 0755/0644
  });
  afterEach(async () => {
    process.umask(previousUmask);
    await dir.remove();
  });

  it('given a fresh DATA_DIR, when the store writes, then the directory is 0700 and events.sqlite, -wal and -shm are 0600', async () => {
    const dataDir = dir.file('var/data');
    const store = await createEventStore({ dataDir });
    await store.appendToStream('tick-1', events(1));
    expect(modeOf(dir.file('var'))).to.equal('700');
    expect(modeOf(dataDir)).to.equal('700');
    for (const name of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) expect(modeOf(`${dataDir}/${name}`), name).to.equal('600');
    await store.close();
    expect(exposedDataWarnings(dataDir)).to.deep.equal([]);
  });

  it('given checkpoints and outbox mail written, then their directories are 0700 and files 0600', async () => {
    const checkpoints = createFileCheckpointStore(dir.file('var/checkpoints'));
    await checkpoints.store('reactor', 42);
    const outbox = createOutboxMailer(dir.file('var/outbox'));
    await outbox.send({ messageId: '<evt-1@tollgate.test>', from: 'a@b.test', to: ['c@d.test'], subject: 's', text: 't', html: '<p>t</p>' });
    expect(modeOf(dir.file('var/checkpoints'))).to.equal('700');
    expect(modeOf(dir.file('var/checkpoints/reactor.json'))).to.equal('600');
    expect(modeOf(dir.file('var/outbox'))).to.equal('700');
    const { readdirSync } = await import('node:fs');
    const [eml] = readdirSync(dir.file('var/outbox')).filter((f) => f.endsWith('.eml'));
    expect(modeOf(dir.file(`var/outbox/${eml}`))).to.equal('600');
  });

  it('given an existing store readable by others, when the server starts, then it warns (naming the files) and serves', async () => {
    // Given a DATA_DIR and events.sqlite of the first release, 0755 and 0644
    const dataDir = dir.file('var');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const seeded = await createEventStore({ dataDir });
    await seeded.appendToStream('tick-1', events(1));
    await seeded.close();
    chmodSync(`${dataDir}/events.sqlite`, 0o644);
    // When the server starts with a logger we can read
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).trim().split('\n')) lines.push(JSON.parse(l)); done(); } });
    const config = loadConfig({ PORT: String(await freePort()), DATA_DIR: dataDir, KEYS_DIR: dir.file('keys'), ADMIN_PASSWORD: 'admin-password-123', NODE_ENV: 'test', LOG_LEVEL: 'warn' });
    const tollgate = await startTollgate(config, createLogger({ level: 'warn' }, sink), { printBootstrap: false, runWorker: false });
    try {
      // Then it warns about both, and is up
      const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
      expect(warnings.some((m) => m.startsWith(`${dataDir} is accessible by other users (mode 755)`))).to.equal(true);
      expect(warnings.some((m) => m.startsWith(`${dataDir}/events.sqlite is accessible by other users (mode 644)`))).to.equal(true);
      const { request } = await import('undici');
      expect((await request(`${tollgate.url}/healthz`)).statusCode).to.equal(200);
    } finally {
      await tollgate.stop();
    }
  });
});
