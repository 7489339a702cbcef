import { expect } from 'chai';
import {
  clientToken,
  createApp,
  createOrganization,
  createUser,
  expectFieldError,
  expectProblem,
  http,
  startAdmin,
  unique,
  type Admin,
  type TestUser,
} from './adminKit.js';

interface Row {
  id: string;
  name: string;
  clientId: string;
  organizationId: string;
  organizationName: string;
  ownerUserId: string | null;
  ownerUsername: string | null;
  active: boolean;
  grants: string[];
  allApis: boolean;
  apis: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

const SORT_KEYS = {
  name: (r: Row) => r.name.toLowerCase(),
  active: (r: Row) => (r.active ? 1 : 0),
  createdAt: (r: Row) => r.createdAt,
  lastUsedAt: (r: Row) => r.lastUsedAt,
} as const;

/** The grid's documented order: the sort value (null first ascending), then the id, both in the same direction. */
function expectedOrder(rows: Row[], field: keyof typeof SORT_KEYS, direction: 'asc' | 'desc'): string[] {
  const key = SORT_KEYS[field];
  const cmp = (a: string | number | null, b: string | number | null): number =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * (cmp(key(a), key(b)) || cmp(a.id, b.id))).map((r) => r.id);
}

describe('Admin API: the applications grid (GET /admin/oauth-applications)', () => {
  let admin: Admin;
  let org: string;
  let owner: TestUser;
  let all: Row[];
  const grid = (query: string) => http(admin.url, 'GET', `/admin/oauth-applications?organizationId=${org}&perPage=100&${query}`, { token: admin.token });
  const ids = (res: { body: { items: Row[] } }) => res.body.items.map((r) => r.id);

  before(async () => {
    admin = await startAdmin();
    org = await createOrganization(admin, unique('Grid org'));
    owner = await createUser(admin, { organizationIds: [org], signIn: false });
    const specs = [
      { name: 'Alpha Reports', grants: ['client_credentials'], ownerUserId: owner.id },
      { name: 'alphabet soup', grants: ['password'], active: false },
      { name: 'Beta [sync].*', grants: ['client_credentials'], ownerUserId: owner.id, active: false, allApis: false, apis: ['SCIM'] },
      { name: 'gamma', grants: ['password', 'client_credentials'], ownerUserId: owner.id },
      { name: 'Delta', grants: ['client_credentials'], ownerUserId: owner.id },
    ];
    const created = [];
    for (const spec of specs) created.push(await createApp(admin, { ...spec, organizationId: org }));
    // Two of them are used: lastUsedAt set, in a known order.
    for (const res of [created[3]!, created[0]!]) {
      expect((await clientToken(admin.url, res.body.clientId, res.body.clientSecret)).status).to.equal(200);
    }
    // lastUsedAt is coalesced (one write per flush interval): wait until both show.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      all = (await grid('')).body.items;
      if (all.filter((r) => r.lastUsedAt !== null).length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => admin.server.stop());

  it('given applications, when listed, then each item shows name, client ID, organization, owner, status, grants, APIs, created and last used', async () => {
    expect(all).to.have.length(5);
    const beta = all.find((r) => r.name.startsWith('Beta'))!;
    expect(beta).to.include({ organizationId: org, ownerUserId: owner.id, ownerUsername: owner.username, active: false, allApis: false });
    expect(beta.organizationName).to.match(/^Grid org/);
    expect(beta.clientId).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(beta.apis).to.deep.equal(['SCIM']);
    expect(beta.createdAt).to.be.a('string');
    expect(all.filter((r) => r.lastUsedAt !== null).map((r) => r.name)).to.have.members(['Alpha Reports', 'gamma']);
    const page = await grid('');
    expect(page.body).to.include({ total: 5, page: 1, perPage: 100 });
  });

  describe('filters', () => {
    it('name: case-insensitive substring, regex characters taken literally', async () => {
      const names = async (q: string) => (await grid(`name=${encodeURIComponent(q)}`)).body.items.map((r: Row) => r.name);
      expect(await names('ALPHA')).to.have.members(['Alpha Reports', 'alphabet soup']);
      expect(await names('ET SO')).to.deep.equal(['alphabet soup']);
      expect(await names('[sync].*')).to.deep.equal(['Beta [sync].*']);
      expect(await names('.*')).to.deep.equal(['Beta [sync].*']);
      expect(await names('zzz')).to.deep.equal([]);
    });

    it('active, grant, ownerUserId, organizationId', async () => {
      expect((await grid('active=false')).body.items.map((r: Row) => r.name)).to.have.members(['alphabet soup', 'Beta [sync].*']);
      expect((await grid('active=true')).body.total).to.equal(3);
      expect((await grid('grant=password')).body.items.map((r: Row) => r.name)).to.have.members(['alphabet soup', 'gamma']);
      expect((await grid('grant=refresh_token')).body.total).to.equal(2);
      expect((await grid(`ownerUserId=${owner.id}`)).body.total).to.equal(4);
      expect((await grid(`ownerUserId=${owner.id}&active=true&grant=client_credentials&name=a`)).body.items.map((r: Row) => r.name))
        .to.have.members(['Alpha Reports', 'gamma', 'Delta']);
      const other = await http(admin.url, 'GET', `/admin/oauth-applications?organizationId=${admin.orgA}&perPage=100`, { token: admin.token });
      expect(other.body.items.every((r: Row) => r.organizationId === admin.orgA)).to.equal(true);
      expect(other.body.total).to.be.greaterThan(0);
    });
  });

  describe('sort', () => {
    for (const field of ['name', 'active', 'createdAt', 'lastUsedAt'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        it(`by ${field} ${direction}`, async () => {
          const res = await grid(`sort=${field}:${direction}`);
          expect(res.status).to.equal(200);
          expect(ids(res)).to.deep.equal(expectedOrder(all, field, direction));
        });
      }
    }

    it('"-name" is name descending and plain "name" ascending; the default is createdAt descending', async () => {
      expect(ids(await grid('sort=-name'))).to.deep.equal(expectedOrder(all, 'name', 'desc'));
      expect(ids(await grid('sort=name'))).to.deep.equal(expectedOrder(all, 'name', 'asc'));
      expect(ids(await grid(''))).to.deep.equal(expectedOrder(all, 'createdAt', 'desc'));
    });
  });

  describe('paging', () => {
    it('given perPage=2, when every page is read, then each item appears once and total is constant', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await http(admin.url, 'GET', `/admin/oauth-applications?organizationId=${org}&perPage=2&page=${page}&sort=name`, { token: admin.token });
        expect(res.body).to.include({ total: 5, page, perPage: 2 });
        seen.push(...ids(res));
      }
      expect(seen).to.deep.equal(expectedOrder(all, 'name', 'asc'));
      const beyond = await grid('page=99');
      expect(beyond.body).to.include({ total: 5, page: 99 });
      expect(beyond.body.items).to.deep.equal([]);
    });
  });

  describe('bad input: 400 problem+json naming the field', () => {
    const cases: Array<[string, string]> = [
      ['perPage=100000', 'perPage'],
      ['perPage=0', 'perPage'],
      ['perPage=abc', 'perPage'],
      ['page=-1', 'page'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['page=99999999999999999999', 'page'],
      ['sort=secretHash', 'sort'],
      ['sort=-name:asc', 'sort'],
      ['sort=name:sideways', 'sort'],
      ['grant=implicit', 'grant'],
      ['active=maybe', 'active'],
      ['name=a&name=b', 'name'],
      [`name=${'x'.repeat(256)}`, 'name'],
    ];
    for (const [query, field] of cases) {
      it(`given ${query.slice(0, 40)}, then 400 naming ${field}`, async () => {
        const res = await http(admin.url, 'GET', `/admin/oauth-applications?${query}`, { token: admin.token });
        expectProblem(res, 400);
        expectFieldError(res, field);
      });
    }

    it('given several bad fields at once, then every one is named', async () => {
      const res = await http(admin.url, 'GET', '/admin/oauth-applications?perPage=100000&page=-1&sort=nope', { token: admin.token });
      expectProblem(res, 400);
      for (const field of ['perPage', 'page', 'sort']) expectFieldError(res, field);
    });
  });
});
