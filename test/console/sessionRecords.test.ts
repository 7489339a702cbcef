import { expect } from 'chai';
import pg from 'pg';
import { createMemorySessionRecords } from '../../src/console/session/sessionRecords.js';
import { createPostgresSessionRecords } from '../../src/console/session/postgresSessionRecords.js';
import { createRedisSessionRecords } from '../../src/console/session/redisSessionRecords.js';
import { createPostgresEventStore } from '../../src/eventStore/postgres/postgresEventStore.js';
import { createPostgresDatabase, postgresUnavailableReason, type PostgresDatabase } from '../support/postgresDatabase.js';
import { redisUnavailableReason, startRedisServer, type RedisServer } from '../support/redisServer.js';
import { sessionRecordsContract } from './sessionRecords.contract.js';

sessionRecordsContract('memory', async () => createMemorySessionRecords());

describe('session records in PostgreSQL and Redis', function () {
  this.timeout(30_000);
  let database: PostgresDatabase | null = null;
  let redis: RedisServer | null = null;
  before(async () => {
    database = await createPostgresDatabase();
    if (database) await (await createPostgresEventStore({ connectionString: database.url, poolSize: 1 })).close(); // migrates
    else console.log(`      ${postgresUnavailableReason}`);
    redis = await startRedisServer();
    if (!redis) console.log(`      ${redisUnavailableReason}`);
  });
  after(async () => {
    await database?.drop();
    await redis?.dispose();
  });

  sessionRecordsContract('postgres', async () => (database ? createPostgresSessionRecords({ connectionString: database.url }) : undefined));
  sessionRecordsContract('redis', async () => (redis ? createRedisSessionRecords({ url: redis.url }) : undefined));

  it('given PostgreSQL records written past their time, when more are written, then the old rows are deleted', async function () {
    if (!database) return this.skip();
    const records = createPostgresSessionRecords({ connectionString: database.url });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (let i = 0; i < 10; i++) await records.put('authorize', `old-${i}`, 'old', Date.now() - 1_000);
      for (let i = 0; i < 64; i++) await records.put('authorize', `new-${i}`, 'new', Date.now() + 60_000);
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM console_sessions WHERE key LIKE 'old-%'");
      expect(Number(rows[0]!.n)).to.equal(0);
    } finally {
      await client.end();
      await records.close();
    }
  });

  it('given Redis stopped, when a record is read or written, then the call fails at once instead of waiting, and works again after a restart', async function () {
    if (!redis?.canRestart) return this.skip();
    const records = createRedisSessionRecords({ url: redis.url, commandTimeoutMs: 500 });
    try {
      await records.put('console', 'k', 'v', Date.now() + 60_000);
      await redis.stop();
      const started = Date.now();
      let failed = 0;
      for (const call of [() => records.get('console', 'k'), () => records.put('console', 'k', 'w', Date.now() + 60_000)]) {
        await call().then(() => undefined, () => failed++);
      }
      expect(failed).to.equal(2);
      expect(Date.now() - started, 'bounded by the command timeout, not hanging').to.be.below(10_000);
      await redis.start();
      let value: string | undefined;
      for (let i = 0; i < 100 && value === undefined; i++) {
        value = await records.put('console', 'k', 'after', Date.now() + 60_000).then(() => records.get('console', 'k'), () => undefined);
        if (value === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(value).to.equal('after');
    } finally {
      await records.close();
    }
  });
});
