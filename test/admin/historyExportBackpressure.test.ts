import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import type { NewEvent } from '../../src/eventStore/eventStore.js';
import type { ThreadAuditReader } from '../../src/audit/threadAuditReader.js';
import { bootstrapAdminToken, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { createApp, unique, type Admin, http } from './adminKit.js';

/** Bytes the server has handed to its sockets so far (sent, or buffered in the process for sending). */
const bytesWrittenBy = (sockets: Set<Socket>) => [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0);

/** Polls until the server has written nothing more for a few polls in a row (it is waiting for the reader). */
async function untilServerStopsWriting(sockets: Set<Socket>): Promise<number> {
  let last = -1;
  for (let quiet = 0; quiet < 10; ) {
    await sleep(50);
    const now = bytesWrittenBy(sockets);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

describe('Admin API: a history export respects the reader (backpressure over a real socket)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: Admin;
  const sockets = new Set<Socket>();

  before(async () => {
    server = await startTestServer();
    server.tollgate.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
  });
  after(() => server.stop());

  it('given an export of ~48 MB and a reader that takes one chunk and stops, then the server writes a bounded part of it, and all of it once the reader reads on', async () => {
    const app = await createApp(admin, { name: unique('Exported') });
    const events = 12_000;
    const padding = 'p'.repeat(4000);
    for (let written = 0; written < events; written += 500) {
      const batch: NewEvent[] = Array.from({ length: 500 }, (_, i) => ({
        id: randomUUID(),
        type: 'TokenIssued',
        data: { jti: `jti-${written + i}`, applicationId: app.body.id, clientId: app.body.clientId, grant: 'client_credentials', padding },
        metadata: { actor: `client:${app.body.clientId}`, occurredAt: new Date().toISOString(), correlationId: randomUUID() },
      }));
      await server.tollgate.store.appendToStream(toTokensStreamName(app.body.id), batch);
    }
    const url = new URL(`/admin/oauth-applications/${app.body.id}/history?include=tokens&format=jsonl`, server.url);

    // When: a reader takes the first chunk, then stops reading.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request(url, { headers: { authorization: `Bearer ${admin.token}` }, agent: false }, resolve).on('error', reject).end();
    });
    expect(response.statusCode).to.equal(200);
    let read = 0;
    let text = '';
    await new Promise<void>((resolve) => response.once('data', (chunk: Buffer) => {
      response.pause();
      read += chunk.length;
      text += chunk.toString('utf8');
      resolve();
    }));
    const writtenWhileStopped = await untilServerStopsWriting(sockets);

    // Then it reads on to the end.
    response.on('data', (chunk: Buffer) => {
      read += chunk.length;
      text += chunk.toString('utf8');
    });
    const ended = new Promise<void>((resolve) => response.once('end', () => resolve()));
    response.resume();
    await ended;

    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).to.have.length(events + 1); // the tokens and ApplicationCreated
    expect(read).to.be.above(48_000_000);
    // The kernel's socket buffers hold a few MB; the rest waited in the store, not in memory.
    expect(writtenWhileStopped).to.be.below(read / 4);
    // The embedded file store's export ran on the reader thread, pulled page by page.
    expect((server.tollgate.audit as ThreadAuditReader).worker, 'the reader thread served it').to.not.equal(undefined);
  });
});
