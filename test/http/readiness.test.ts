import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createHealthRouter, type HealthSources } from '../../src/http/healthRouter.js';
import { judgeReadModelLag } from '../../src/http/readiness.js';
import { http } from '../support/tollgateServer.js';

const bound = { maxLagEvents: 10, maxLagMs: 5000 };
const now = new Date('2030-01-01T00:00:10.000Z');

describe('readiness: the read model within its bound', () => {
  it('given nothing pending, then within bound with age 0', () => {
    expect(judgeReadModelLag({ events: 0 }, bound, now)).to.deep.equal({ pendingEvents: 0, pendingAgeMs: 0, withinBound: true });
  });
  it('given as many pending events as the bound, recent, then within; one more, then not', () => {
    const recent = '2030-01-01T00:00:09.000Z';
    expect(judgeReadModelLag({ events: 10, oldestRecordedAt: recent }, bound, now).withinBound).to.equal(true);
    expect(judgeReadModelLag({ events: 11, oldestRecordedAt: recent }, bound, now).withinBound).to.equal(false);
  });
  it('given one pending event older than READY_MAX_LAG_MS, then not within bound', () => {
    expect(judgeReadModelLag({ events: 1, oldestRecordedAt: '2030-01-01T00:00:04.999Z' }, bound, now)).to.deep.equal({
      pendingEvents: 1, pendingAgeMs: 5001, withinBound: false,
    });
  });
  it('given a store clock ahead of ours, then the age is 0, never negative', () => {
    expect(judgeReadModelLag({ events: 1, oldestRecordedAt: '2030-01-01T00:01:00.000Z' }, bound, now).pendingAgeMs).to.equal(0);
  });
});

describe('GET /readyz (health router on a real socket)', () => {
  const serve = async (overrides: Partial<HealthSources>) => {
    const sources: HealthSources = {
      storeKind: 'sqlite', readModelKind: 'memory', queueKind: 'inline', mailKind: 'outbox',
      pingStore: async () => {}, pingReadModel: async () => {},
      projectionLag: async () => 3, readModelLag: async () => ({ events: 0 }),
      readiness: bound, now: () => now, tokenStateCaughtUp: () => true,
      keys: () => ({ available: true, warnings: [] }),
      notifications: async () => ({ failed: 0, waiting: 0, problems: [] }),
      ...overrides,
    };
    const app = new Koa();
    app.use(createHealthRouter(sources).routes());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      return await http(url, 'GET', '/readyz');
    } finally {
      await new Promise((r) => server.close(r));
    }
  };

  it('given token events behind but nothing the read model gates on, then 200 and the lag reported', async () => {
    const res = await serve({});
    expect(res.status).to.equal(200);
    expect(res.body.projections).to.include({ lag: 3, pendingEvents: 0, withinBound: true });
  });
  it('given the state cache has not caught up once, then 503', async () => {
    const res = await serve({ tokenStateCaughtUp: () => false });
    expect(res.status).to.equal(503);
    expect(res.body.tokenState).to.deep.equal({ caughtUp: false });
  });
  it('given the store does not answer, then 503 unavailable without internals', async () => {
    const res = await serve({ pingStore: async () => { throw new Error('SQLITE_CANTOPEN'); }, readModelLag: async () => { throw new Error('x'); } });
    expect(res.status).to.equal(503);
    expect(res.body.status).to.equal('unavailable');
    expect(JSON.stringify(res.body)).not.to.match(/\.ts:\d+|stack/);
  });
});
