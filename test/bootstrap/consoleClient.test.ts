import { expect } from 'chai';
import { bootstrapFirstStart, formatBootstrapReport } from '../../src/bootstrap/firstStart.js';
import { ensureConsoleClient } from '../../src/bootstrap/consoleClient.js';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { loadApplication } from '../../src/commands/lookups.js';
import { CONSOLE_APPLICATION_ID, CONSOLE_CLIENT_ID } from '../../src/domain/application/consoleClient.js';
import { toApplicationStreamName } from '../../src/domain/shared/streamNames.js';
import { openSqliteStore, withReadBarrier, type StoreFixture } from '../commands/storeFixture.js';

describe("the console's first-party client", () => {
  let fixture: StoreFixture;
  beforeEach(async () => (fixture = await openSqliteStore()));
  afterEach(() => fixture.cleanup());

  it('given a store from before the console, when several nodes start at once, then exactly one client is created', async () => {
    const deps = { store: fixture.store, handler: createCommandHandler(fixture.store) };
    await bootstrapFirstStart(deps, { adminUsername: 'admin', adminPassword: 'admin-password-1', adminEmail: 'a@example.com' });
    // Every node reads "no such application" before any of them appends.
    const racing = withReadBarrier(fixture.store, toApplicationStreamName(CONSOLE_APPLICATION_ID), 3);
    const racers = { store: racing, handler: createCommandHandler(racing) };
    await Promise.all([ensureConsoleClient(racers), ensureConsoleClient(racers), ensureConsoleClient(racers)]);
    const events = await fixture.store.readStream(toApplicationStreamName(CONSOLE_APPLICATION_ID));
    expect(events.map((e) => e.type)).to.deep.equal(['ApplicationCreated']);
    const { state } = await loadApplication(fixture.store, CONSOLE_APPLICATION_ID);
    expect(state).to.include({ status: 'Active', clientId: CONSOLE_CLIENT_ID, firstParty: true, ownerUserId: null });
    expect((state as { grants: string[] }).grants).to.deep.equal(['password', 'refresh_token']);
  });

  it('given the client exists, when a node starts again, then nothing is appended', async () => {
    const deps = { store: fixture.store, handler: createCommandHandler(fixture.store) };
    await bootstrapFirstStart(deps, { adminUsername: 'admin', adminPassword: 'admin-password-1', adminEmail: 'a@example.com' });
    await ensureConsoleClient(deps);
    const before = await fixture.store.headPosition();
    await ensureConsoleClient(deps);
    expect(await fixture.store.headPosition()).to.equal(before);
  });

  it('given an empty store, then no client is created (there is no organization to hold it)', async () => {
    await ensureConsoleClient({ store: fixture.store, handler: createCommandHandler(fixture.store) });
    expect(await fixture.store.readStream(toApplicationStreamName(CONSOLE_APPLICATION_ID))).to.deep.equal([]);
  });
});

describe('first-start banner', () => {
  it('prints the console URL and who signs in there', () => {
    const banner = formatBootstrapReport(
      { organizationId: 'o', adminUserId: 'u', adminUsername: 'admin', applicationId: 'a', clientId: 'c', generatedAdminPassword: 'pw' },
      'http://localhost:8080',
    );
    expect(banner).to.contain('Console:         http://localhost:8080/console/  (sign in as admin)');
  });
});
