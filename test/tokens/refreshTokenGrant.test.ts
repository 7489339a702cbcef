import { expect } from 'chai';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { familyIdOf } from '../../src/tokens/refreshTokens.js';
import { newEventId } from '../../src/security/ids.js';
import { withReadBarrier } from '../commands/storeFixture.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';
import { seedApp, seedUser, seedWorld, userCommand } from './support/seed.js';
import { post } from './support/http.js';

describe('POST /oauth2-token — refresh_token grant', () => {
  let server: TokenServer;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  before(async () => {
    server = await startTokenServer({ settings: { refreshTokenTtl: 86400 } });
    world = await seedWorld(server);
  });
  after(() => server.close());

  const client = () => ({ client_id: world.passwordApp.clientId, client_secret: world.passwordApp.clientSecret });
  const login = async (user = world.admin) => {
    const a = await post(server.url, { grant_type: 'password', ...client(), username: user.username, password: user.password });
    expect(a.status).to.equal(200);
    return a.body as { access_token: string; refresh_token: string };
  };
  const refresh = (token: string, creds = client()) => post(server.url, { grant_type: 'refresh_token', ...creds, refresh_token: token });
  const introspect = (token: string) =>
    post(server.url, { token, ...client() }, { path: '/oauth2-token/introspect' });

  it('rotates: a refresh returns new tokens and the old refresh token stops working', async () => {
    const first = await login();
    const second = await refresh(first.refresh_token);
    expect(second.status).to.equal(200);
    expect(second.headers['cache-control']).to.equal('no-store');
    expect(second.body.refresh_token).to.be.a('string').and.not.equal(first.refresh_token);
    expect(familyIdOf(second.body.refresh_token as string)).to.equal(familyIdOf(first.refresh_token));
    expect(second.body.scope).to.equal('read');
    const third = await refresh(second.body.refresh_token as string);
    expect(third.status).to.equal(200);
  });

  it('detects reuse: presenting a rotated token revokes the family and every access token it produced', async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).body as { access_token: string; refresh_token: string };
    expect((await introspect(second.access_token)).body.active).to.equal(true);

    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).to.equal(400);
    expect(reuse.body.error).to.equal('invalid_grant');

    expect((await refresh(second.refresh_token)).body.error).to.equal('invalid_grant');
    expect((await introspect(second.access_token)).body).to.deep.equal({ active: false });
    expect((await introspect(first.access_token)).body).to.deep.equal({ active: false });
    const family = await server.store.readStream(`refreshTokenFamily-${familyIdOf(first.refresh_token)}`);
    expect(family.at(-1)?.type).to.equal('RefreshTokenFamilyRevoked');
    expect(family.at(-1)?.data).to.include({ reason: 'reuse' });
  });

  it('given a family another writer keeps appending to, when a rotation keeps conflicting, then 503 temporarily_unavailable and the token still works', async () => {
    // Given a family that, after every read of it, gets one more event from another writer
    // (an event type this version does not know, which its evolve ignores)
    const first = await login();
    const stream = `refreshTokenFamily-${familyIdOf(first.refresh_token)}`;
    const original = server.service.deps.commands;
    const store = server.store;
    const racing = Object.assign(Object.create(store) as typeof store, {
      readStream: async (name: string, options?: Parameters<typeof store.readStream>[1]) => {
        const events = await store.readStream(name, options);
        if (name === stream) {
          await store.appendToStream(name, [{ id: newEventId(), type: 'RefreshTokenFamilyNoted', data: {}, metadata: { actor: 'other', occurredAt: new Date().toISOString(), correlationId: 'x' } }], { expectedRevision: 'any' });
        }
        return events;
      },
    });
    server.service.deps.commands = createCommandHandler(racing);
    let busy;
    try {
      // When the client refreshes
      busy = await refresh(first.refresh_token);
    } finally {
      server.service.deps.commands = original;
    }
    // Then the answer says "retry", not invalid_grant (the token is still good) nor 500
    expect(busy.status).to.equal(503);
    expect(busy.body.error).to.equal('temporarily_unavailable');
    expect(busy.headers['retry-after']).to.equal('1');
    expect(JSON.stringify(busy.body)).not.to.match(/conflict|refreshTokenFamily-/i);
    // And once the other writer is quiet, the same token rotates
    const retried = await refresh(first.refresh_token);
    expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
  });

  it('given two concurrent refreshes with one token, then exactly one wins and the other revokes the family', async () => {
    const first = await login();
    const stream = `refreshTokenFamily-${familyIdOf(first.refresh_token)}`;
    const original = server.service.deps.commands;
    server.service.deps.commands = createCommandHandler(withReadBarrier(server.store, stream, 2));
    let answers;
    try {
      answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    } finally {
      server.service.deps.commands = original;
    }
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).to.deep.equal([200, 400]);
    const winner = answers.find((a) => a.status === 200)!;
    expect((await refresh(winner.body.refresh_token as string)).body.error).to.equal('invalid_grant');
    const types = (await server.store.readStream(stream)).map((e) => e.type);
    expect(types).to.deep.equal(['RefreshTokenIssued', 'RefreshTokenRotated', 'RefreshTokenFamilyRevoked']);
  });

  it('refuses an expired refresh token', async () => {
    const first = await login();
    server.clock.advance(86401);
    try {
      const a = await refresh(first.refresh_token);
      expect(a.status).to.equal(400);
      expect(a.body.error).to.equal('invalid_grant');
    } finally {
      server.clock.advance(-86401);
    }
  });

  it('binds a refresh token to its client', async () => {
    const other = await seedApp(server, { name: 'other pw app', organizationId: world.organizationId, ownerUserId: null, grants: ['password'], scopes: ['read'] });
    const first = await login();
    const a = await refresh(first.refresh_token, { client_id: other.clientId, client_secret: other.clientSecret });
    expect(a.body.error).to.equal('invalid_grant');
    expect((await refresh(first.refresh_token)).status).to.equal(200);
  });

  it('refuses a refresh for a user disabled since, and re-enabling does not revive the ended session', async () => {
    const user = await seedUser(server, { organizationIds: [world.organizationId] });
    const first = await login(user);
    server.clock.advance(1);
    await userCommand(server, user.userId, 'DisableUser');
    expect((await refresh(first.refresh_token)).body.error).to.equal('invalid_grant');
    await userCommand(server, user.userId, 'EnableUser');
    expect((await refresh(first.refresh_token)).body.error).to.equal('invalid_grant');
    const again = await login(user);
    expect((await refresh(again.refresh_token)).status).to.equal(200);
  });

  it('refuses garbage, unknown and missing refresh tokens', async () => {
    expect((await refresh('garbage')).body.error).to.equal('invalid_grant');
    expect((await refresh(`${'A'.repeat(22)}.${'B'.repeat(43)}`)).body.error).to.equal('invalid_grant');
    const missing = await post(server.url, { grant_type: 'refresh_token', ...client() });
    expect(missing.body.error).to.equal('invalid_request');
  });

  it('narrows the scope on request and refuses widening it', async () => {
    const app = await seedApp(server, { name: 'two scopes', organizationId: world.organizationId, ownerUserId: null, grants: ['password'], scopes: ['read', 'write'] });
    const creds = { client_id: app.clientId, client_secret: app.clientSecret };
    const first = await post(server.url, { grant_type: 'password', ...creds, username: world.admin.username, password: world.admin.password, scope: 'read' });
    expect(first.body.scope).to.equal('read');
    const wider = await post(server.url, { grant_type: 'refresh_token', ...creds, refresh_token: first.body.refresh_token as string, scope: 'read write' });
    expect(wider.body.error).to.equal('invalid_scope');
    const same = await post(server.url, { grant_type: 'refresh_token', ...creds, refresh_token: first.body.refresh_token as string });
    expect(same.status, 'a refused scope does not rotate the token').to.equal(200);
    expect(same.body.scope).to.equal('read');
  });
});
