import { expect } from 'chai';
import { SCHEMA_VERSIONS } from '../../src/domain/shared/schemaVersions.js';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { BOOTSTRAP_CLIENT_ID } from '../support/tollgateServer.js';
import { createApp, createUser, http, passwordToken, startAdmin, unique, type Admin } from '../admin/adminKit.js';

/**
 * DESIGN §6 audit metadata, read back from the store after real HTTP requests: who acted
 * (`actor`, `actorKind`), through what (`via`), and the schema version of every event.
 */
describe('audit metadata of stored events', function () {
  this.timeout(30_000);
  let admin: Admin;
  before(async () => (admin = await startAdmin()));
  after(() => admin.server.stop());

  const all = async (): Promise<RecordedEvent[]> => admin.server.tollgate.store.readAll({ maxCount: 100_000 });
  const byCorrelation = async (correlationId: string): Promise<RecordedEvent[]> =>
    (await all()).filter((e) => e.metadata.correlationId === correlationId);

  it('given a client_credentials admin token, when it creates an application, then the owner user acts via that client', async () => {
    // When the bootstrap client's token (owned by the first administrator) creates an application
    const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
      token: admin.token,
      body: { name: unique('audited'), grants: ['client_credentials'] },
      headers: { 'x-correlation-id': 'audit-cc-1' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // Then every event it caused names the administrator as a user, through the bootstrap client
    const events = await byCorrelation('audit-cc-1');
    expect(events.map((e) => e.type)).to.include('ApplicationCreated');
    for (const event of events) {
      expect(event.metadata).to.include({ actor: admin.adminId, actorKind: 'user', via: BOOTSTRAP_CLIENT_ID });
    }
  });

  it('given a password-grant token, when the user writes, then the user acts via the client the token came from', async () => {
    // Given an administrator of organization A signed in through a password-grant application
    const user = await createUser(admin, { organizationIds: [admin.orgA], roles: ['admin'] });
    const token = await passwordToken(admin, user.username);
    const clientId = JSON.parse(Buffer.from(String(token.body.access_token).split('.')[1]!, 'base64url').toString()).client_id;
    // When they create an application
    const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
      token: user.token,
      body: { name: unique('audited-pw'), grants: ['client_credentials'] },
      headers: { 'x-correlation-id': 'audit-pw-1' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // Then the user is the actor, through that password-grant client
    const [created] = (await byCorrelation('audit-pw-1')).filter((e) => e.type === 'ApplicationCreated');
    expect(created!.metadata).to.include({ actor: user.id, actorKind: 'user', via: clientId });
  });

  it('given a token request, then TokenIssued records the client as actor and via, with its schema version', async () => {
    // Given an application, when it obtains a token
    const app = await createApp(admin, { name: unique('token-audit') });
    const res = await http(admin.url, 'POST', '/oauth2-token', {
      rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.body.clientId, client_secret: app.body.clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-correlation-id': 'audit-token-1' },
    });
    expect(res.status).to.equal(200);
    // Then the audit event names the client (first-release actor spelling) and carries the version
    const [issued] = await byCorrelation('audit-token-1');
    expect(issued).to.deep.include({ type: 'TokenIssued' });
    expect(issued!.metadata).to.include({
      actor: `client:${app.body.clientId}`,
      actorKind: 'client',
      via: app.body.clientId,
      schemaVersion: SCHEMA_VERSIONS.TokenIssued,
    });
  });

  it('every event written since start carries actorKind and the schema version of its type from the one table', async () => {
    // Given everything the tests above and the first start wrote
    const events = await all();
    expect(events.length).to.be.greaterThan(10);
    for (const event of events) {
      // Then each has the version its type has in SCHEMA_VERSIONS, and an actor kind
      const expected = SCHEMA_VERSIONS[event.type as keyof typeof SCHEMA_VERSIONS];
      expect(expected, `${event.type} is in the schema version table`).to.be.a('number');
      expect(event.metadata.schemaVersion, event.type).to.equal(expected);
      expect(['user', 'client', 'system']).to.include(event.metadata.actorKind);
      // The system acts through no client
      if (event.metadata.actorKind === 'system') expect(event.metadata).not.to.have.property('via');
    }
    expect(events.find((e) => e.type === 'ApplicationCreated')!.metadata.schemaVersion).to.equal(2);
  });
});

describe('history entries from events of either release', () => {
  it('given an event written before actorKind/via existed, then its history entry reads with nulls', async () => {
    const { toHistoryEntry } = await import('../../src/admin/historyEntry.js');
    const old: RecordedEvent = {
      id: 'e1', type: 'OrganizationRenamed', data: { organizationId: 'o', name: 'n' },
      metadata: { actor: 'u1', occurredAt: '2025-01-01T00:00:00.000Z', correlationId: 'c' },
      streamName: 'organization-o', revision: 1, position: 7, recordedAt: '2025-01-01T00:00:00.000Z',
    };
    expect(toHistoryEntry(old)).to.include({ actor: 'u1', actorKind: null, via: null });
    expect(toHistoryEntry({ ...old, metadata: { ...old.metadata, actorKind: 'user', via: 'console' } })).to.include({ actorKind: 'user', via: 'console' });
  });
});
