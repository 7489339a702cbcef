import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect } from 'chai';
import type { ThreadAuditReader } from '../../src/audit/threadAuditReader.js';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import type { NewEvent } from '../../src/eventStore/eventStore.js';
import { createApp, expectProblem, http, startAdmin, unique, type Admin } from './adminKit.js';

/** The embedded SQLite file store reads history on the reader thread. */
const readerThreadOf = (admin: Admin): ThreadAuditReader => {
  const audit = admin.server.tollgate.audit as Partial<ThreadAuditReader>;
  expect(audit.threadStatus, 'the SQLite file store reads history on the reader thread').to.be.a('function');
  return audit as ThreadAuditReader;
};

/** A raw GET whose body the caller reads (or stops reading). */
const get = (admin: Admin, path: string): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    request(new URL(path, admin.url), { headers: { authorization: `Bearer ${admin.token}` }, agent: false }, resolve).on('error', reject).end();
  });

describe('Admin API: history read on the reader thread, and the thread dying', function () {
  this.timeout(120_000);
  let admin: Admin;
  let app: { id: string; clientId: string };
  const events = 12_000;

  before(async () => {
    admin = await startAdmin();
    const created = await createApp(admin, { name: unique('Threaded') });
    app = { id: created.body.id, clientId: created.body.clientId };
    const padding = 'p'.repeat(1000);
    for (let written = 0; written < events; written += 500) {
      const batch: NewEvent[] = Array.from({ length: 500 }, (_, i) => ({
        id: randomUUID(),
        type: 'TokenIssued',
        data: { jti: `jti-${written + i}`, applicationId: app.id, clientId: app.clientId, grant: 'client_credentials', padding },
        metadata: { actor: `client:${app.clientId}`, occurredAt: new Date().toISOString(), correlationId: randomUUID() },
      }));
      await admin.server.tollgate.store.appendToStream(toTokensStreamName(app.id), batch);
    }
  });
  after(() => admin.server.stop());

  it('given a page being read, when the thread dies, then 503 with Retry-After and no internals, and the next page is 200 from a new thread', async function () {
    const reader = readerThreadOf(admin);
    await reader.threadStatus();
    const first = reader.worker!;

    // A type nothing matches: the page reads its whole scan budget (10,000 events) on the thread.
    const answer = http(admin.url, 'GET', `/admin/oauth-applications/${app.id}/history?include=tokens&type=TokenRevoked`, { token: admin.token });
    while (reader.inFlight === 0) await nextTurn();
    await first.terminate();

    const res = await answer;
    expectProblem(res, 503);
    expect(res.headers['retry-after']).to.equal('5');
    expect(JSON.stringify(res.body)).not.to.match(/thread|worker|sqlite/i);
    const next = await http(admin.url, 'GET', `/admin/oauth-applications/${app.id}/history?include=tokens&perPage=3`, { token: admin.token });
    expect(next.status).to.equal(200);
    expect(next.body.items).to.have.length(3);
    expect(reader.worker).to.not.equal(first);
  });

  it('given an export being read, when the thread dies, then the response is cut short (never a complete 200), and the next export is whole', async function () {
    const reader = readerThreadOf(admin);
    const path = `/admin/oauth-applications/${app.id}/history?include=tokens&format=jsonl`;
    const response = await get(admin, path);
    expect(response.statusCode).to.equal(200);
    await new Promise<void>((resolve) => response.once('data', () => {
      response.pause();
      resolve();
    }));

    await reader.worker!.terminate();
    const ended = new Promise<void>((resolve) => response.once('close', () => resolve()));
    response.on('error', () => undefined).resume();
    await ended;

    expect(response.complete).to.equal(false);
    const whole = await get(admin, path);
    let text = '';
    whole.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await new Promise<void>((resolve) => whole.once('end', () => resolve()));
    expect(whole.complete).to.equal(true);
    expect(text.trimEnd().split('\n')).to.have.length(events + 1);
  });

  it('given HEAD on an export, then 200 with the export headers and no body, and the next export is whole', async function () {
    const path = `/admin/oauth-applications/${app.id}/history?include=tokens&format=csv`;
    const head = await new Promise<IncomingMessage>((resolve, reject) => {
      request(new URL(path, admin.url), { method: 'HEAD', headers: { authorization: `Bearer ${admin.token}` }, agent: false }, resolve).on('error', reject).end();
    });
    let bytes = 0;
    head.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await new Promise<void>((resolve) => head.once('end', () => resolve()));

    expect(head.statusCode).to.equal(200);
    expect(head.headers['content-type']).to.match(/^text\/csv/);
    expect(bytes).to.equal(0);
    const whole = await get(admin, `/admin/oauth-applications/${app.id}/history?include=tokens&format=jsonl`);
    let text = '';
    whole.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await new Promise<void>((resolve) => whole.once('end', () => resolve()));
    expect(text.trimEnd().split('\n')).to.have.length(events + 1);
  });

  it('given the server stops, then the reader thread is terminated', async function () {
    const reader = readerThreadOf(admin);
    await reader.threadStatus();
    const worker = reader.worker!;
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

    await admin.server.tollgate.stop();

    await exited;
    expect(reader.worker).to.equal(undefined);
  });
});
