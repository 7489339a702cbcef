import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { createEventStore } from '../../src/eventStore/createEventStore.js';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { toApplicationStreamName } from '../../src/domain/shared/streamNames.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';
import { ADMIN_PASSWORD, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET, bootstrapAdminToken, clientToken, http, waitUntilReady } from '../support/tollgateServer.js';
import { childTollgate, type ChildTollgate } from './support/childTollgate.js';

/**
 * SIGKILL while applications are created, tokens issued and refresh tokens rotated at full
 * speed. After a restart on the same DATA_DIR, everything that was acknowledged is there:
 * every 201 application (readable, and its secret works), every 200 token (its jti is in a
 * TokenIssued event), every acknowledged rotation (its access token jti in a
 * RefreshTokenRotated event); the projections rebuild and the server is ready.
 */
describe('fault: the server is SIGKILLed under write load', function () {
  this.timeout(120_000);
  let dir: TempDir;
  let server: ChildTollgate;
  before(async () => {
    dir = await createTempDir('tollgate-sigkill-');
    server = await childTollgate(dir);
    await server.start();
  });
  after(async () => {
    await server?.kill();
    await dir?.remove();
  });

  it('loses nothing it acknowledged', async () => {
    const admin = await bootstrapAdminToken(server.url);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const pwApp = (await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: 'pw', grants: ['password'] } })).body;
    const first = await http(server.url, 'POST', '/oauth2-token', {
      rawBody: new URLSearchParams({ grant_type: 'password', client_id: pwApp.clientId, client_secret: pwApp.clientSecret, username: 'admin', password: ADMIN_PASSWORD }).toString(),
      headers: form,
    });
    expect(first.status).to.equal(200);

    const apps: Array<{ id: string; clientId: string; clientSecret: string }> = [];
    const tokenJtis: string[] = [];
    const rotationJtis: string[] = [];
    let killed = false;
    const loop = async (step: () => Promise<void>) => {
      while (!killed) await step().catch(() => undefined); // refused or cut off: not acknowledged
    };
    let n = 0;
    const createApp = async () => {
      const res = await http(server.url, 'POST', '/admin/oauth-applications', { token: admin, body: { name: `app ${n++}`, grants: ['client_credentials'] } });
      if (res.status === 201) apps.push({ id: res.body.id, clientId: res.body.clientId, clientSecret: res.body.clientSecret });
    };
    const issue = async () => {
      const res = await clientToken(server.url, BOOTSTRAP_CLIENT_ID, BOOTSTRAP_CLIENT_SECRET);
      if (res.status === 200) tokenJtis.push(decodeJwt(res.body.access_token as string).jti!);
    };
    let refreshToken = first.body.refresh_token as string;
    const rotate = async () => {
      const res = await http(server.url, 'POST', '/oauth2-token', {
        rawBody: new URLSearchParams({ grant_type: 'refresh_token', client_id: pwApp.clientId, client_secret: pwApp.clientSecret, refresh_token: refreshToken }).toString(),
        headers: form,
      });
      if (res.status === 200) {
        refreshToken = res.body.refresh_token as string;
        rotationJtis.push(decodeJwt(res.body.access_token as string).jti!);
      }
    };
    const load = [
      ...Array.from({ length: 4 }, () => loop(createApp)),
      ...Array.from({ length: 8 }, () => loop(issue)),
      loop(rotate), // one chain: a refresh token is used once, so rotations are sequential
    ];
    while (apps.length < 30 || tokenJtis.length < 200 || rotationJtis.length < 10) await new Promise((r) => setTimeout(r, 20));
    await server.kill('SIGKILL');
    killed = true;
    await Promise.all(load);

    // What the file holds, read directly after the kill.
    const store = await createEventStore({ dataDir: dir.file('var') });
    let events: RecordedEvent[];
    try {
      events = await store.readAll();
    } finally {
      await store.close();
    }
    const issuedJtis = new Set(events.filter((e) => e.type === 'TokenIssued').map((e) => (e.data as { jti: string }).jti));
    const rotatedJtis = new Set(events.filter((e) => e.type === 'RefreshTokenRotated').map((e) => (e.data as { accessTokenJti: string }).accessTokenJti));
    const created = new Set(events.filter((e) => e.type === 'ApplicationCreated').map((e) => e.streamName));
    expect(tokenJtis.filter((jti) => !issuedJtis.has(jti)), 'acknowledged tokens missing').to.deep.equal([]);
    expect(rotationJtis.filter((jti) => !rotatedJtis.has(jti)), 'acknowledged rotations missing').to.deep.equal([]);
    expect(apps.filter((a) => !created.has(toApplicationStreamName(a.id))).map((a) => a.id), 'acknowledged applications missing').to.deep.equal([]);

    // The restarted server serves them all and its projections catch up.
    await server.start();
    expect((await waitUntilReady(server.url)).body.status).to.equal('ready');
    const adminAgain = await bootstrapAdminToken(server.url);
    for (const app of apps) {
      expect((await http(server.url, 'GET', `/admin/oauth-applications/${app.id}`, { token: adminAgain })).status, app.id).to.equal(200);
    }
    const sample = apps.slice(-5);
    for (const app of sample) expect((await clientToken(server.url, app.clientId, app.clientSecret)).status).to.equal(200);
    console.log(`      (acknowledged before SIGKILL: ${apps.length} applications, ${tokenJtis.length} tokens, ${rotationJtis.length} rotations)`);
  });
});
