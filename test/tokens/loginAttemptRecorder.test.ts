import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createLoginAttemptRecorder } from '../../src/tokens/loginAttemptRecorder.js';
import { createStateCache } from '../../src/tokens/stateCache.js';
import type { ExistingApplication } from '../../src/domain/application/applicationEvents.js';
import { createTempDir } from '../support/tempDir.js';
import { startTokenServer } from './support/tokenServer.js';
import { seedOrganization, seedUser } from './support/seed.js';

/** Sign-in records written off the response path: in order per user, errors reported, never thrown. */
describe('login attempt recorder', function () {
  this.timeout(30_000);
  const policy = () => ({ failureLimit: 3, waitSeconds: 60, maxWaitSeconds: 900, failureResetSeconds: 43200 });

  it('given a store that cannot be written, then the failure is reported through onError and nothing reaches the caller', async () => {
    const dir = await createTempDir('tollgate-recorder-');
    const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
    const cache = createStateCache({ store, accessTokenTtlSeconds: 3600 });
    const errors: Error[] = [];
    const recorder = createLoginAttemptRecorder({ commands: createCommandHandler(store), cache, policy, onError: (e) => errors.push(e) });
    await store.close();
    const application = { clientId: 'c', applicationId: 'a' } as ExistingApplication;
    const attempt = recorder.begin('user-1');
    expect(recorder.pendingFailures('user-1')).to.equal(1);
    attempt.failed({ application, request: { correlationId: randomUUID() }, now: new Date() });
    await recorder.idle();
    expect(errors).to.have.length(1);
    expect(recorder.pendingFailures('user-1'), 'released after the failed write').to.equal(0);
    await dir.remove();
  });

  it('given many failures of one user at once, then each is written, one after the other, with no conflict', async () => {
    const server = await startTokenServer();
    try {
      const user = await seedUser(server, { organizationIds: [await seedOrganization(server)] });
      const application = { clientId: 'c', applicationId: 'a' } as ExistingApplication;
      const errors: Error[] = [];
      const recorder = createLoginAttemptRecorder({
        commands: server.commandDeps.handler, cache: server.cache, policy: () => ({ ...policy(), failureLimit: 100 }), onError: (e) => errors.push(e),
      });
      const attempts = Array.from({ length: 20 }, () => recorder.begin(user.userId));
      expect(recorder.pendingFailures(user.userId)).to.equal(20);
      for (const a of attempts) a.failed({ application, request: { correlationId: randomUUID() }, now: server.clock.now() });
      await recorder.idle();
      expect(errors).to.deep.equal([]);
      expect(server.cache.user(user.userId)?.loginFailures).to.equal(20);
      expect(recorder.pendingFailures(user.userId)).to.equal(0);
    } finally {
      await server.close();
    }
  });

  it('given a check that succeeded, then its pending count is released at once and only a needed reset is written', async () => {
    const server = await startTokenServer();
    try {
      const user = await seedUser(server, { organizationIds: [await seedOrganization(server)] });
      const recorder = createLoginAttemptRecorder({ commands: server.commandDeps.handler, cache: server.cache, policy, onError: () => {} });
      const attempt = recorder.begin(user.userId);
      attempt.succeeded({ application: { clientId: 'c' } as ExistingApplication, request: { correlationId: 'x' }, now: server.clock.now() }, false);
      attempt.failed({ application: { clientId: 'c' } as ExistingApplication, request: { correlationId: 'x' }, now: server.clock.now() });
      expect(recorder.pendingFailures(user.userId)).to.equal(0);
      await recorder.idle();
      expect((await server.store.readStream(`user-${user.userId}`)).map((e) => e.type)).to.deep.equal(['UserRegistered']);
    } finally {
      await server.close();
    }
  });
  it('given failures pending on a baseline, then the state showing some of them already does not count them twice', async () => {
    const server = await startTokenServer();
    try {
      const recorder = createLoginAttemptRecorder({ commands: server.commandDeps.handler, cache: server.cache, policy, onError: () => {} });
      // given two checks that began when the user's state showed 1 failure
      recorder.begin('user-x', 1);
      recorder.begin('user-x', 1);
      // then 1 + 2 are counted, whether the state still shows 1 or already shows the first of them
      expect(recorder.countedFailures('user-x', 1)).to.equal(3);
      expect(recorder.countedFailures('user-x', 2)).to.equal(3);
      // and a state showing more than that wins
      expect(recorder.countedFailures('user-x', 5)).to.equal(5);
      // with nothing pending, the state is all there is
      expect(recorder.countedFailures('user-y', 2)).to.equal(2);
    } finally {
      await server.close();
    }
  });
});
