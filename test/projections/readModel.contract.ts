/**
 * The read model contract: every adapter passes it. Histories go through the real
 * projections (given events → then the read model shows …).
 */
import { expect } from 'chai';
import { compileOrganizationQuery, compileUserQuery } from '../../projections/directoryQuery.js';
import { gridQuery, type GridQueryInput, type GridScope } from '../../projections/gridQuery.js';
import { applyEvents } from '../../projections/projection.js';
import { createProjections } from '../../projections/projections.js';
import type { ApplicationRowUpsert, ReadModel } from '../../projections/readModel.js';
import type { RecordedEvent } from '../../src/eventStore/eventStore.js';
import { allApplications, snapshot } from './support/readModelSnapshot.js';
import { at, EventLog } from './support/eventLog.js';

const ALL: GridScope = { organizationIds: null };

const row = (id: string, revision: number, name = `App ${id}`): ApplicationRowUpsert => ({
  id,
  clientId: `client-${id}`,
  name,
  nameLower: name.toLowerCase(),
  organizationId: 'o1',
  organizationName: 'Org o1',
  ownerUserId: null,
  ownerUsername: null,
  active: true,
  deleted: false,
  grants: ['client_credentials'],
  frontend: false,
  allApis: true,
  apis: [],
  scopes: [],
  applicationUrl: null,
  description: null,
  createdAt: at(1),
  updatedAt: at(1),
  revision,
  position: revision + 1,
});

/** Two organizations, three users, six applications, an update, a deactivation, a deletion. */
function history(): EventLog {
  return new EventLog()
    .organization('o1', 'Acme')
    .organization('o2', 'Globex')
    .user('u1', ['o1'], 'alice')
    .user('u2', ['o2'], 'bob')
    .user('u3', ['o1', 'o2'], 'carol')
    .application('a1', { name: 'Billing Sync', organizationId: 'o1', ownerUserId: 'u1' })
    .application('a2', { name: 'billing export', organizationId: 'o1', ownerUserId: 'u3', grants: ['password', 'refresh_token'] })
    .application('a3', { name: 'Crm Bridge', organizationId: 'o2', ownerUserId: 'u2', active: false })
    .application('a4', { name: 'Analytics', organizationId: 'o2', ownerUserId: 'u2' })
    .application('a5', { name: 'Zeta', organizationId: 'o1', ownerUserId: 'u1' })
    .application('a6', { name: 'Doomed', organizationId: 'o1', ownerUserId: 'u1' })
    .applicationEvent('a4', 'ApplicationUpdated', { changes: { name: { from: 'Analytics', to: 'Analytics Pro' } } })
    .applicationEvent('a5', 'ApplicationDeactivated')
    .applicationEvent('a6', 'ApplicationDeleted')
    .token('a1', at(500))
    .token('a1', at(400))
    .token('a4', at(300));
}

export function readModelContract(name: string, makeReadModel: () => Promise<ReadModel>): void {
  describe(`read model contract: ${name}`, function () {
    let readModel: ReadModel;
    const given = (events: RecordedEvent[]) => applyEvents(createProjections(), readModel, events);
    const names = async (input: GridQueryInput, scope: GridScope = ALL) =>
      (await readModel.applications.query(gridQuery(input, scope))).items.map((r) => r.name);

    beforeEach(async () => {
      readModel = await makeReadModel();
      await readModel.clear();
    });
    afterEach(async () => {
      await readModel.clear();
      await readModel.close();
    });

    describe('revision-conditional upserts', () => {
      it('applies a newer revision and refuses an equal or older one', async () => {
        expect(await readModel.applications.upsert(row('a', 1, 'First'))).to.equal(true);
        expect(await readModel.applications.upsert(row('a', 1, 'Replayed'))).to.equal(false);
        expect(await readModel.applications.upsert(row('a', 0, 'Older'))).to.equal(false);
        expect((await readModel.applications.get('a'))?.name).to.equal('First');
        expect(await readModel.applications.upsert(row('a', 2, 'Second'))).to.equal(true);
        expect((await readModel.applications.get('a'))?.name).to.equal('Second');
      });

      it('does the same for users and organizations', async () => {
        const org = { id: 'o', name: 'A', globalAccess: false, enabled: true, createdAt: at(1), revision: 3 };
        expect(await readModel.organizations.upsert(org)).to.equal(true);
        expect(await readModel.organizations.upsert({ ...org, name: 'B', revision: 3 })).to.equal(false);
        expect((await readModel.organizations.get('o'))?.name).to.equal('A');
        const user = {
          id: 'u', kind: 'backOffice' as const, username: 'u', email: 'u@x.test', locale: 'en',
          roles: ['user' as const], organizationIds: ['o'], enabled: true, locked: false, createdAt: at(1), revision: 0,
        };
        expect(await readModel.users.upsert(user)).to.equal(true);
        expect(await readModel.users.upsert({ ...user, enabled: false })).to.equal(false);
        expect((await readModel.users.get('u'))?.enabled).to.equal(true);
      });

      it('keeps lastUsedAt across upserts and only moves it forward', async () => {
        await readModel.applications.upsert(row('a', 0));
        await readModel.applications.touchLastUsed([{ applicationId: 'a', at: at(10) }]);
        await readModel.applications.touchLastUsed([{ applicationId: 'a', at: at(5) }, { applicationId: 'ghost', at: at(9) }]);
        await readModel.applications.upsert(row('a', 1, 'Renamed'));
        expect((await readModel.applications.get('a'))?.lastUsedAt).to.equal(at(10));
        expect(await readModel.applications.get('ghost')).to.equal(null);
      });

      it('given tokens by secret, then the current and previous secrets keep their own newest time, across upserts, only moving forward', async () => {
        await readModel.applications.upsert(row('s', 0));
        await readModel.applications.touchLastUsed([{ applicationId: 's', at: at(10), currentSecretAt: at(10), previousSecretAt: at(8) }]);
        await readModel.applications.touchLastUsed([{ applicationId: 's', at: at(9), currentSecretAt: at(4), previousSecretAt: at(9) }]);
        await readModel.applications.touchLastUsed([{ applicationId: 's', at: at(7) }]);
        await readModel.applications.upsert(row('s', 1, 'Renamed'));
        const stored = await readModel.applications.get('s');
        expect(stored).to.deep.include({ lastUsedAt: at(10), currentSecretLastUsedAt: at(10), previousSecretLastUsedAt: at(9) });
        await readModel.applications.upsert(row('n', 0));
        expect(await readModel.applications.get('n')).to.deep.include({ currentSecretLastUsedAt: null, previousSecretLastUsedAt: null });
      });
    });

    describe('projections', () => {
      it('replayed twice gives the same read model', async () => {
        const events = history().recorded();
        await given(events);
        const once = await snapshot(readModel);
        await given(events);
        expect(await snapshot(readModel)).to.deep.equal(once);
        expect(once.applications).to.have.length(6);
      });

      it('projects an application with its organization name, owner username and last use', async () => {
        await given(history().recorded());
        const a1 = await readModel.applications.get('a1');
        expect(a1).to.include({ name: 'Billing Sync', organizationName: 'Acme', ownerUsername: 'alice', lastUsedAt: at(500), revision: 0 });
        const a4 = await readModel.applications.get('a4');
        expect(a4).to.include({ name: 'Analytics Pro', nameLower: 'analytics pro', revision: 1, lastUsedAt: at(300) });
      });

      it('renames the organization on existing rows and on rows created later', async () => {
        const log = history().renameOrganization('o1', 'Acme Corp', 'Acme').application('a7', { organizationId: 'o1' });
        await given(log.recorded());
        expect((await readModel.applications.get('a1'))?.organizationName).to.equal('Acme Corp');
        expect((await readModel.applications.get('a7'))?.organizationName).to.equal('Acme Corp');
        expect((await readModel.organizations.get('o1'))?.name).to.equal('Acme Corp');
      });

      it('hides a deleted application from the grid but keeps it for includeDeleted', async () => {
        await given(history().recorded());
        expect(await readModel.applications.get('a6')).to.equal(null);
        expect((await readModel.applications.get('a6', { includeDeleted: true }))?.deleted).to.equal(true);
        expect(await names({ name: 'doomed' })).to.deep.equal([]);
        const withDeleted = await readModel.applications.query(gridQuery({ name: 'doomed' }, { ...ALL, includeDeleted: true }));
        expect(withDeleted.total).to.equal(1);
      });
    });

    describe('grid', () => {
      beforeEach(async () => given(history().recorded()));

      it('filters by case-insensitive name substring', async () => {
        expect(await names({ name: 'BILLING', sort: 'name' })).to.deep.equal(['billing export', 'Billing Sync']);
      });

      it('filters by the organization allow-list and the organization filter within it', async () => {
        expect(await names({ sort: 'name' }, { organizationIds: ['o2'] })).to.deep.equal(['Analytics Pro', 'Crm Bridge']);
        expect(await names({ organizationId: 'o2', sort: 'name' })).to.deep.equal(['Analytics Pro', 'Crm Bridge']);
        expect(await names({ organizationId: 'o1' }, { organizationIds: ['o2'] })).to.deep.equal([]);
        expect(await names({}, { organizationIds: [] })).to.deep.equal([]);
      });

      it('filters by active, grant and owner', async () => {
        expect(await names({ active: 'false', sort: 'name' })).to.deep.equal(['Crm Bridge', 'Zeta']);
        expect(await names({ grant: 'password' })).to.deep.equal(['billing export']);
        expect(await names({ ownerUserId: 'u1', sort: 'name' })).to.deep.equal(['Billing Sync', 'Zeta']);
      });

      it('given a storefront application, then a scope forcing one side lists only that side', async () => {
        await given(new EventLog().organization('o9', 'Shop').user('c1', ['o9'], 'shopper').application('s1', { name: 'Storefront app', organizationId: 'o9', ownerUserId: 'c1', frontend: true }).recorded());
        expect(await names({ sort: 'name' }, { organizationIds: null, frontend: true })).to.deep.equal(['Storefront app']);
        expect(await names({ sort: 'name' }, { organizationIds: null, frontend: false })).to.deep.equal(['Analytics Pro', 'billing export', 'Billing Sync', 'Crm Bridge', 'Zeta']);
        expect(await names({ sort: 'name' })).to.include('Storefront app');
      });

      it('sorts by name, createdAt, active and lastUsedAt in both directions', async () => {
        expect(await names({ sort: 'name' })).to.deep.equal(['Analytics Pro', 'billing export', 'Billing Sync', 'Crm Bridge', 'Zeta']);
        expect(await names({ sort: '-name' })).to.deep.equal(['Zeta', 'Crm Bridge', 'Billing Sync', 'billing export', 'Analytics Pro']);
        expect(await names({ sort: 'createdAt:desc' })).to.deep.equal(['Zeta', 'Analytics Pro', 'Crm Bridge', 'billing export', 'Billing Sync']);
        expect((await names({ sort: 'active' })).slice(0, 2)).to.deep.equal(['Crm Bridge', 'Zeta']);
        // never used sorts first ascending, as MongoDB orders null
        expect(await names({ sort: 'lastUsedAt', ownerUserId: 'u2' })).to.deep.equal(['Crm Bridge', 'Analytics Pro']);
        expect((await names({ sort: '-lastUsedAt' })).slice(0, 2)).to.deep.equal(['Billing Sync', 'Analytics Pro']);
      });

      it('breaks ties by id in the sort direction', async () => {
        await given(new EventLog().application('b2', { name: 'Same', organizationId: 'o9' }).application('b1', { name: 'same', organizationId: 'o9' }).recorded());
        const ids = async (sort: string) =>
          (await readModel.applications.query(gridQuery({ sort, organizationId: 'o9' }))).items.map((r) => r.id);
        expect(await ids('name')).to.deep.equal(['b1', 'b2']);
        expect(await ids('-name')).to.deep.equal(['b2', 'b1']);
      });

      it('sorts non-ASCII names by code point (UTF-8 byte order), astral characters after U+E000–U+FFFF', async () => {
        await given(
          new EventLog()
            .application('n1', { name: '😀 smile', organizationId: 'o8' })
            .application('n2', { name: '\uFF5Etilde', organizationId: 'o8' })
            .application('n3', { name: 'Ωmega', organizationId: 'o8' })
            .application('n4', { name: '\uE000private', organizationId: 'o8' })
            .application('n5', { name: 'apple', organizationId: 'o8' })
            .recorded(),
        );
        const expected = ['apple', 'Ωmega', '\uE000private', '\uFF5Etilde', '😀 smile'];
        expect(await names({ sort: 'name', organizationId: 'o8' })).to.deep.equal(expected);
        expect(await names({ sort: '-name', organizationId: 'o8' })).to.deep.equal([...expected].reverse());
      });

      it('finds nothing, without an error, for a name filter holding NUL or regex metacharacters', async () => {
        expect(await names({ name: '\u0000' })).to.deep.equal([]);
        expect(await names({ name: '.*' })).to.deep.equal([]);
      });

      it('pages with a total', async () => {
        const page2 = await readModel.applications.query(gridQuery({ sort: 'name', page: '2', perPage: '2' }));
        expect(page2).to.deep.include({ total: 5, page: 2, perPage: 2 });
        expect(page2.items.map((r) => r.name)).to.deep.equal(['Billing Sync', 'Crm Bridge']);
        const beyond = await readModel.applications.query(gridQuery({ page: 9, perPage: 2 }));
        expect(beyond).to.deep.include({ items: [], total: 5 });
      });

      it('agrees with the compiled predicate and comparator for every filter and sort', async () => {
        const everything = await allApplications(readModel);
        for (const sort of ['name', '-name', 'active', '-active', 'createdAt', '-createdAt', 'lastUsedAt', '-lastUsedAt']) {
          for (const filter of [{}, { name: 'i' }, { active: true }, { grant: 'client_credentials' }, { organizationId: 'o1' }]) {
            const query = gridQuery({ ...filter, sort, perPage: 100 });
            const expected = everything.filter(query.matches).sort(query.compare).map((r) => r.id);
            const actual = (await readModel.applications.query(query)).items.map((r) => r.id);
            expect(actual, `${sort} ${JSON.stringify(filter)}`).to.deep.equal(expected);
          }
        }
      });
    });

    describe('grid at scale', () => {
      const agrees = async () => {
        const everything = await allApplications(readModel);
        for (const sort of ['name', '-active', 'createdAt', '-lastUsedAt']) {
          for (const filter of [{}, { name: '1' }, { active: false, grant: 'password' }, { organizationId: 'o2' }]) {
            const query = gridQuery({ ...filter, sort, perPage: 100, page: 2 });
            const expected = everything.filter(query.matches).sort(query.compare);
            const actual = await readModel.applications.query(query);
            expect(actual.items.map((r) => r.id), `${sort} ${JSON.stringify(filter)}`).to.deep.equal(expected.slice(100, 200).map((r) => r.id));
            expect(actual.total).to.equal(expected.length);
          }
        }
      };

      it('agrees with the compiled query after a bulk load and after single writes', async () => {
        const log = new EventLog().organization('o1').organization('o2');
        for (let i = 0; i < 400; i += 1) {
          log.application(`s${(i * 7919) % 400}`, {
            name: `N${(i * 31) % 97}`,
            organizationId: i % 3 === 0 ? 'o2' : 'o1',
            active: i % 4 !== 0,
            grants: i % 5 === 0 ? ['password', 'refresh_token'] : ['client_credentials'],
          });
          if (i % 3 === 0) log.token(`s${(i * 7919) % 400}`, at(1000 + ((i * 13) % 50)));
        }
        await given(log.recorded());
        await agrees();
        const more = new EventLog();
        for (let i = 0; i < 5; i += 1) {
          more.add(`oauthApplication-s${i}`, 'ApplicationUpdated', { applicationId: `s${i}`, changes: { name: { from: '', to: `Z${i}` } } });
        }
        for (const event of more.recorded()) await given([{ ...event, revision: 1, position: 10_000 + event.position }]);
        await readModel.applications.touchLastUsed([{ applicationId: 's7', at: at(5000) }]);
        await agrees();
      });
    });

    describe('directories', () => {
      beforeEach(async () => given(history().recorded()));

      it('lists users of the allowed organizations, by username, paged', async () => {
        const o2 = await readModel.users.list(compileUserQuery({ page: 1, perPage: 10 }, { organizationIds: ['o2'] }));
        expect(o2.items.map((u) => u.username)).to.deep.equal(['bob', 'carol']);
        const page2 = await readModel.users.list(compileUserQuery({ page: 2, perPage: 2 }, { organizationIds: null }));
        expect(page2).to.deep.include({ total: 3, page: 2, perPage: 2 });
        expect(page2.items.map((u) => u.username)).to.deep.equal(['carol']);
        expect(JSON.stringify(page2)).not.to.contain('scrypt');
      });

      it('lists, with everyOrganization, only users all of whose organizations are allowed (authority over users)', async () => {
        const all = (await readModel.users.list(compileUserQuery({ page: 1, perPage: 10 }, { organizationIds: null }))).items;
        const allowed = ['o2'];
        const within = await readModel.users.list(compileUserQuery({ page: 1, perPage: 10 }, { organizationIds: allowed, everyOrganization: true }));
        const expected = all.filter((u) => u.organizationIds.every((o) => allowed.includes(o))).map((u) => u.username);
        expect(within.items.map((u) => u.username)).to.deep.equal(expected);
        expect(within.total).to.equal(expected.length);
        const any = await readModel.users.list(compileUserQuery({ page: 1, perPage: 10 }, { organizationIds: allowed }));
        expect(any.items.length, 'the history must have a user of o2 and another organization').to.be.greaterThan(within.items.length);
      });

      it('lists organizations of the allow-list', async () => {
        const list = await readModel.organizations.list(compileOrganizationQuery({ page: 1, perPage: 10 }, { organizationIds: ['o2', 'nope'] }));
        expect(list.items.map((o) => o.name)).to.deep.equal(['Globex']);
        expect(list.total).to.equal(1);
      });
    });

    describe('user locks', () => {
      it("given a first-release lock after login failures, a temporary lockout and an administrator's lock, then only the administrator's shows as locked", async () => {
        const log = new EventLog().organization('lo').user('legacy', ['lo']).user('lockedOut', ['lo']).user('byAdmin', ['lo']);
        log.add('user-legacy', 'UserLocked', { userId: 'legacy', reason: 'loginFailures' });
        log.add('user-lockedOut', 'UserLockedOut', { userId: 'lockedOut', failures: 3, lockouts: 1, waitSeconds: 60, until: at(100) });
        log.add('user-byAdmin', 'UserLocked', { userId: 'byAdmin', reason: 'administrator' });
        await given(log.recorded());
        expect((await readModel.users.get('legacy'))?.locked).to.equal(false);
        expect((await readModel.users.get('lockedOut'))).to.include({ locked: false, revision: 1 });
        expect((await readModel.users.get('byAdmin'))?.locked).to.equal(true);
      });
    });

    describe('checkpoints and clear', () => {
      it('stores and loads checkpoints per id', async () => {
        expect(await readModel.checkpoints.load('grid')).to.equal(null);
        await readModel.checkpoints.store('grid', 5);
        await readModel.checkpoints.store('grid', 9);
        await readModel.checkpoints.store('other', 1);
        expect(await readModel.checkpoints.load('grid')).to.equal(9);
        expect(await readModel.checkpoints.load('other')).to.equal(1);
      });

      it('clear removes documents and checkpoints', async () => {
        await given(history().recorded());
        await readModel.checkpoints.store('grid', 5);
        await readModel.clear();
        expect(await snapshot(readModel)).to.deep.equal({ applications: [], users: [], organizations: [] });
        expect(await readModel.checkpoints.load('grid')).to.equal(null);
      });
    });
  });
}
