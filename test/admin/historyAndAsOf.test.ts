import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventMetadata } from '../../src/eventStore/eventStore.js';
import { BOOTSTRAP_CLIENT_ID, bootstrapAdminToken, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { clientToken, createApp, createOrganization, createUser, expectFieldError, expectNoHashes, expectProblem, http, unique, type Admin } from './adminKit.js';

describe('Admin API: history pages and exports, and the registry as of a moment', function () {
  let server: TestServer;
  let admin: Admin;
  let clock = new Date();
  /** Each step of a story happens one second after the previous one. */
  const step = (): Date => (clock = new Date(clock.getTime() + 1000));
  /** The time of what just happened; what follows happens a second later. */
  const mark = (): Date => {
    const now = clock;
    step();
    return now;
  };
  const justBefore = (time: Date): string => new Date(time.getTime() - 1).toISOString();

  before(async () => {
    server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '300' }, { now: () => clock });
    const token = await bootstrapAdminToken(server.url);
    const me = await http(server.url, 'GET', '/admin/me', { token });
    admin = { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
  });
  after(() => server.stop());

  describe('GET …/history', () => {
    it('given tokens, when paged with perPage, then next links walk newest to oldest and the Link header carries them', async () => {
      const app = await createApp(admin, { name: unique('Paged') });
      for (let i = 0; i < 3; i += 1) expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);
      const path = `/admin/oauth-applications/${app.body.id}/history`;

      const first = await http(admin.url, 'GET', `${path}?include=tokens&perPage=3`, { token: admin.token });
      const second = await http(admin.url, 'GET', first.body.next, { token: admin.token });

      expect(first.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['TokenIssued', 'TokenIssued', 'TokenIssued']);
      expect(first.headers.link).to.equal(`<${first.body.next}>; rel="next"`);
      expect(first.body.next).to.match(/include=tokens/).and.match(/cursor=/);
      expect(second.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationCreated']);
      expect(second.body.next).to.equal(null);
      expect(first.body.items[0]).to.deep.include({ actorKind: 'client', actorName: app.body.name });
      expect(second.body.items[0]).to.deep.include({ actorKind: 'user', actorName: 'admin' });
    });

    it('given an event that records the client it came through, then via names that client and its application', async () => {
      const tool = await createApp(admin, { name: unique('Tool') });
      const app = await createApp(admin, { name: unique('Via') });
      // As ops' command metadata writes it: the request came through the tool's client.
      await server.tollgate.store.appendToStream(`oauthApplication-${app.body.id}`, [{
        id: randomUUID(),
        type: 'ApplicationDeactivated',
        data: { applicationId: app.body.id },
        metadata: { actor: admin.adminId, actorKind: 'client', via: tool.body.clientId, occurredAt: step().toISOString(), correlationId: randomUUID() } as EventMetadata,
      }]);

      const history = await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}/history`, { token: admin.token });

      expect(history.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationDeactivated', 'ApplicationCreated']);
      expect(history.body.items[0]).to.deep.include({ actorKind: 'client', actorName: 'admin', via: { clientId: tool.body.clientId, applicationName: tool.body.name } });
      // The creation came through the admin's own token, so it names that client too.
      expect(history.body.items[1]).to.deep.include({ actorKind: 'user' });
      expect(history.body.items[1].via.clientId).to.equal(BOOTSTRAP_CLIENT_ID);
    });

    it('given a period and types, then only those entries; given bad parameters, then 400 naming each field', async () => {
      const app = await createApp(admin, { name: unique('Period') });
      const path = `/admin/oauth-applications/${app.body.id}`;
      const renamedAt = step();
      await http(admin.url, 'PATCH', path, { token: admin.token, body: { name: unique('Renamed') } });
      step();
      await http(admin.url, 'POST', `${path}/deactivate`, { token: admin.token });

      const period = await http(admin.url, 'GET', `${path}/history?from=${renamedAt.toISOString()}&to=${justBefore(clock)}`, { token: admin.token });
      const typed = await http(admin.url, 'GET', `${path}/history?type=ApplicationCreated&type=ApplicationDeactivated&order=asc`, { token: admin.token });
      const commaTyped = await http(admin.url, 'GET', `${path}/history?type=ApplicationCreated,ApplicationDeactivated`, { token: admin.token });

      expect(period.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationUpdated']);
      expect(typed.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationCreated', 'ApplicationDeactivated']);
      expect(commaTyped.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['ApplicationDeactivated', 'ApplicationCreated']);
      for (const [query, field] of [
        ['from=yesterday', 'from'],
        ['to=2026-02-30T00:00:00Z', 'to'],
        ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
        ['type=Bad;Type', 'type'],
        ['order=sideways', 'order'],
        ['page=2', 'page'],
        ['cursor=not-a-cursor', 'cursor'],
        ['format=xml', 'format'],
        ['include=secrets', 'include'],
        ['perPage=0', 'perPage'],
      ] as const) {
        const res = await http(admin.url, 'GET', `${path}/history?${query}`, { token: admin.token });
        expectProblem(res, 400);
        expectFieldError(res, field);
      }
    });

    it('exports the whole history as JSON Lines and CSV, streamed, without secrets', async () => {
      const app = await createApp(admin, { name: unique('=Export') });
      const path = `/admin/oauth-applications/${app.body.id}`;
      await http(admin.url, 'POST', `${path}/rotate-secret`, { token: admin.token });
      await clientToken(admin.url, app.body.clientId, app.body.clientSecret);

      const jsonl = await http(admin.url, 'GET', `${path}/history?format=jsonl&include=tokens&perPage=1`, { token: admin.token });
      const csv = await http(admin.url, 'GET', `${path}/history?format=csv&order=asc`, { token: admin.token });

      expect(jsonl.headers['content-type']).to.match(/^application\/jsonl/);
      expect(jsonl.headers['content-disposition']).to.equal(`attachment; filename="history-${app.body.id}.jsonl"`);
      const lines = String(jsonl.body).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(lines.map((e) => e.type)).to.deep.equal(['ApplicationSecretRotated', 'ApplicationCreated']);
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      const rows = String(csv.body).split('\r\n');
      expect(rows[0]!.split(',')[0]).to.equal('occurredAt');
      expect(rows.slice(1, -1)).to.have.length(2);
      expect(String(csv.body)).not.to.include(app.body.clientSecret).and.not.to.match(/sha256\$/);
      expectNoHashes(lines);
    });

    it('keeps the authorization check: another organization\'s administrator gets 404 for history and exports', async () => {
      const orgB = await createOrganization(admin);
      const adminB = await createUser(admin, { organizationIds: [orgB], roles: ['admin'] });
      const app = await createApp(admin, { name: unique('Foreign') });
      for (const query of ['', '?format=csv']) {
        expectProblem(await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}/history${query}`, { token: adminB.token }), 404);
      }
    });
  });

  describe('GET /admin/oauth-applications?asOf=', () => {
    it('given one application\'s life, then the grid at each moment shows it as it was, and not before it existed', async () => {
      const name = unique('AsOf');
      const before = mark();
      const app = await createApp(admin, { name: `${name}-first` });
      const path = `/admin/oauth-applications/${app.body.id}`;
      const created = mark();
      await http(admin.url, 'PATCH', path, { token: admin.token, body: { name: `${name}-second` } });
      const renamed = mark();
      await http(admin.url, 'POST', `${path}/deactivate`, { token: admin.token });
      const deactivated = mark();
      await http(admin.url, 'POST', `${path}/rotate-secret`, { token: admin.token, body: { graceSeconds: 3600 } });
      const rotated = mark();
      const later = await createApp(admin, { name: `${name}-later` });
      mark();
      await http(admin.url, 'DELETE', path, { token: admin.token });
      const deleted = mark();

      const at = async (moment: Date) => {
        const res = await http(admin.url, 'GET', `/admin/oauth-applications?asOf=${moment.toISOString()}&name=${name}&sort=name`, { token: admin.token });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return res.body as { items: Array<{ id: string; name: string; active: boolean; ownerUsername: string; secrets: Array<{ current: boolean; validUntil: string | null }> }>; total: number; asOf: string };
      };

      expect((await at(before)).items).to.deep.equal([]);
      const one = await at(created);
      expect(one.items.map((i) => [i.name, i.active, i.secrets.length])).to.deep.equal([[`${name}-first`, true, 1]]);
      expect(one.items[0]!.ownerUsername).to.equal('admin');
      expect(one.asOf).to.equal(created.toISOString());
      expect((await at(renamed)).items.map((i) => [i.name, i.active])).to.deep.equal([[`${name}-second`, true]]);
      expect((await at(deactivated)).items.map((i) => [i.name, i.active])).to.deep.equal([[`${name}-second`, false]]);
      const atRotation = await at(rotated);
      expect(atRotation.items.map((i) => i.name), 'created later, so not yet listed').to.deep.equal([`${name}-second`]);
      const twoSecrets = atRotation.items[0]!.secrets;
      expect(twoSecrets.map((s) => s.current)).to.deep.equal([true, false]);
      expect(twoSecrets[1]!.validUntil).to.be.a('string');
      const end = await at(deleted);
      expect(end.items.map((i) => i.id)).to.deep.equal([later.body.id]);
      expect(end.total).to.equal(1);
      expectNoHashes(end);
      const filtered = await http(admin.url, 'GET', `/admin/oauth-applications?asOf=${renamed.toISOString()}&name=${name}-first`, { token: admin.token });
      expect(filtered.body.items).to.deep.equal([]);
    });

    it('given an organization renamed and a token issued after a moment, when one application is read as of it, then it shows the name of then, no last use, and agrees with the grid', async () => {
      const orgName = unique('Then');
      const org = await createOrganization(admin, orgName);
      const owner = await createUser(admin, { organizationIds: [org] });
      const name = unique('One');
      const app = await createApp(admin, { name, organizationId: org, ownerUserId: owner.id });
      const moment = mark();
      expect((await http(admin.url, 'PATCH', `/admin/organizations/${org}`, { token: admin.token, body: { name: unique('Now') } })).status).to.equal(200);
      expect((await clientToken(admin.url, app.body.clientId, app.body.clientSecret)).status).to.equal(200);

      const one = await http(admin.url, 'GET', `/admin/oauth-applications/${app.body.id}?asOf=${moment.toISOString()}`, { token: admin.token });
      const grid = await http(admin.url, 'GET', `/admin/oauth-applications?asOf=${moment.toISOString()}&name=${name}`, { token: admin.token });

      expect(one.status, JSON.stringify(one.body)).to.equal(200);
      expect(one.body).to.include({ organizationName: orgName, ownerUsername: owner.username, lastUsedAt: null });
      expect(grid.body.items[0]).to.include({ id: app.body.id, organizationName: orgName, ownerUsername: owner.username, lastUsedAt: null });
      expectNoHashes(one.body);
    });

    it('answers within the caller\'s permissions, and refuses a bad time', async () => {
      const orgB = await createOrganization(admin);
      const adminB = await createUser(admin, { organizationIds: [orgB], roles: ['admin'] });
      const name = unique('Scoped');
      const mine = await createApp(admin, { name: `${name}-b`, organizationId: orgB, grants: ['password'] });
      await createApp(admin, { name: `${name}-a` });
      const moment = mark();

      const seenByB = await http(admin.url, 'GET', `/admin/oauth-applications?asOf=${moment.toISOString()}&name=${name}`, { token: adminB.token });

      expect(seenByB.body.items.map((i: { id: string }) => i.id)).to.deep.equal([mine.body.id]);
      const bad = await http(admin.url, 'GET', '/admin/oauth-applications?asOf=3%20November', { token: admin.token });
      expectProblem(bad, 400);
      expectFieldError(bad, 'asOf');
    });
  });
});
