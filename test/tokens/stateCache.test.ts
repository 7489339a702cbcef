import { expect } from 'chai';
import { createSqliteEventStore } from '../../src/eventStore/sqliteEventStore.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { createOrganization } from '../../src/commands/organizationCommands.js';
import { changeUserPassword, registerUser } from '../../src/commands/userCommands.js';
import { createApplication, setApplicationActive } from '../../src/commands/applicationCommands.js';
import { createStateCache } from '../../src/tokens/stateCache.js';
import { createTempDir, type TempDir } from '../support/tempDir.js';

const meta = () => ({ actor: 'test', actorKind: 'user' as const, now: new Date(), correlationId: 'c' });
/** Waits for a condition (bounded generously: a loaded machine only makes it slower). */
const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 15_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(check()).to.equal(true);
};

describe('state cache (token path, never the read model)', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('tollgate-cache-');
  });
  afterEach(() => dir.remove());

  it("given an application created on another node, when this node misses its client id, then it catches up and finds it; another process's deactivation arrives by polling the store", async () => {
    const nodeA = createSqliteEventStore({ file: dir.file('events.sqlite') });
    const nodeB = createSqliteEventStore({ file: dir.file('events.sqlite'), livePollMs: 20 });
    const cache = createStateCache({ store: nodeB, accessTokenTtlSeconds: 3600 });
    try {
      await cache.start();
      const deps = { store: nodeA, handler: createCommandHandler(nodeA) };
      const org = await createOrganization(deps, { name: 'o' }, meta());
      const organizationId = (org.state as { organizationId: string }).organizationId;
      const user = await registerUser(deps, { username: 'owner', email: 'o@example.test', password: 'password123', kind: 'backOffice', roles: ['admin'], organizationIds: [organizationId] }, meta());
      const created = await createApplication(deps, { name: 'remote', organizationId, ownerUserId: (user.state as { userId: string }).userId, grants: ['client_credentials'] }, meta());
      const app = created.state as { clientId: string; applicationId: string };

      const found = await cache.findApplicationByClientId(app.clientId);
      expect(found?.applicationId).to.equal(app.applicationId);
      expect(found?.status).to.equal('Active');
      expect((await cache.findUserByUsername('OWNER'))?.username, 'usernames match case-insensitively').to.equal('owner');
      const changed = await changeUserPassword(deps, { userId: (user.state as { userId: string }).userId, password: 'another-password-1' }, meta());
      const newHash = (changed.state as { passwordHash: string }).passwordHash;
      expect((await cache.findUserByUsername('owner', { fresh: true }))?.passwordHash, 'a fresh look-up sees the other node\'s password change').to.equal(newHash);

      await setApplicationActive(deps, { applicationId: app.applicationId, active: false }, meta());
      await until(() => cache.applicationByClientId(app.clientId)?.status === 'Inactive');
    } finally {
      await cache.stop();
      await nodeA.close();
      await nodeB.close();
    }
  });

  it('folds events it wrote itself before the subscription delivers them, and the later delivery changes nothing', async () => {
    const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
    const cache = createStateCache({ store, accessTokenTtlSeconds: 3600 });
    try {
      await cache.start();
      const deps = { store, handler: createCommandHandler(store) };
      const org = await createOrganization(deps, { name: 'o' }, meta());
      await cache.applyAppended(org.events);
      const id = (org.state as { organizationId: string }).organizationId;
      expect(cache.organization(id)?.name).to.equal('o');
      await cache.catchUp();
      expect(cache.organization(id)?.name).to.equal('o');
    } finally {
      await cache.stop();
      await store.close();
    }
  });
});
