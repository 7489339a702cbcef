import { expect } from 'chai';
import { toTokensStreamName } from '../../src/domain/shared/streamNames.js';
import { bootstrapAdminToken, clientToken, http, startTestServer, type TestServer } from '../support/tollgateServer.js';
import { consoleHttp, type ConsoleHttp } from './support/consoleClient.js';

const HOUR = 3_600_000;
const PASSWORD = 'console-password-123';

const jtiOf = (token: { body: { access_token: string } }): string =>
  JSON.parse(Buffer.from(token.body.access_token.split('.')[1]!, 'base64url').toString()).jti;
/** A datetime-local value (no zone, read as UTC by the console). */
const local = (time: Date): string => time.toISOString().slice(0, 19);
/** The as-of section's text, tags removed. */
const asOfText = (html: string): string => {
  const start = html.indexOf('id="as-of-heading"');
  const end = html.indexOf('</section>', start);
  return html.slice(start, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
};
/** The chart's figures, from its visually-hidden table. */
const chartFigures = (html: string): number[] => {
  const table = /<table class="visually-hidden">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr><td>[^<]*<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[1]));
};
const tokenIds = (html: string): string[] => [...html.matchAll(/<td class="font-monospace small">([0-9a-f-]{36})<\/td>/g)].map((m) => m[1]!);
const link = (html: string, label: string): string | undefined =>
  [...html.matchAll(/href="([^"]+)">([^<]+)<\/a>/g)].find((m) => m[2] === label)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');

/**
 * Issue 14's console: the History tab's "as of" view, the Tokens tab's period filter, cursor
 * pages and chart of token events per hour and day, and last used per secret during a
 * rotation's grace period — through real HTTP on a real server whose clock the test moves.
 */
describe('console: History as of a moment, and the Tokens tab (period, pages, chart, secrets in use)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let adminToken: string;
  let organizationId: string;
  let admin: ConsoleHttp;
  // The server's clock: each step is a second, an hour jump is an hour (tokens land in known buckets).
  let clock = new Date(Math.floor(Date.now() / HOUR) * HOUR + 5 * 60_000);
  const step = (ms = 1000): Date => (clock = new Date(clock.getTime() + ms));

  const api = (method: string, path: string, body?: unknown) => http(server.url, method, path, { token: adminToken, ...(body !== undefined && { body }) });
  const signedIn = async (username: string, password: string): Promise<ConsoleHttp> => {
    const client = consoleHttp(server.url);
    const res = await client.signIn(username, password);
    expect(res.status, res.html).to.equal(303);
    return client;
  };

  before(async () => {
    server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '2000' }, { now: () => clock });
    adminToken = await bootstrapAdminToken(server.url);
    organizationId = (await api('GET', '/admin/me')).body.organizationIds[0];
    admin = await signedIn('admin', 'admin-password-123');
  });
  after(() => server?.stop());

  describe('History: as of a moment', () => {
    let app: { id: string; name: string };
    const moments: Record<string, Date> = {};

    before(async () => {
      moments.beforeCreation = step();
      step();
      app = (await api('POST', '/admin/oauth-applications', { name: 'Story app', grants: ['client_credentials'], organizationId, scopes: ['read'] })).body;
      moments.created = step();
      step();
      expect((await api('PATCH', `/admin/oauth-applications/${app.id}`, { name: 'Story app renamed' })).status).to.equal(200);
      moments.renamed = step();
      step();
      expect((await api('POST', `/admin/oauth-applications/${app.id}/rotate-secret`, { graceSeconds: 60 })).status).to.equal(200);
      moments.rotated = step();
      step(120_000); // past the grace period
      moments.graceOver = step();
      step();
      expect((await api('DELETE', `/admin/oauth-applications/${app.id}`)).status).to.be.oneOf([200, 204]);
      moments.deleted = step();
    });

    const asOf = async (value: string) => (await admin.get(`/console/oauth-applications/${app.id}?tab=history&asOf=${encodeURIComponent(value)}`)).html;

    it('given a moment before the application was created, then the view says it did not exist yet on that moment', async () => {
      const text = asOfText(await asOf(moments.beforeCreation!.toISOString()));
      expect(text).to.contain(`did not exist yet on ${moments.beforeCreation!.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
      expect(text).to.not.contain('Story app');
    });

    it('given the moments after creation, rename, rotation and deletion, then each shows the state of that moment', async () => {
      const created = asOfText(await asOf(local(moments.created!)));
      const renamed = asOfText(await asOf(moments.renamed!.toISOString()));
      const rotated = asOfText(await asOf(moments.rotated!.toISOString()));
      const graceOver = asOfText(await asOf(moments.graceOver!.toISOString()));
      const deleted = asOfText(await asOf(moments.deleted!.toISOString()));

      expect(created).to.contain('Name Story app ').and.contain('Active').and.contain('Scopes read').and.contain('Owner admin');
      expect(created).to.contain('Valid Secrets Current Created');
      expect(renamed).to.contain('Name Story app renamed');
      expect(rotated).to.contain('Current').and.contain('Previous (grace period), valid until');
      expect(graceOver).to.contain('Valid Secrets Current Created').and.not.contain('Previous (grace period)');
      expect(deleted).to.contain('Deleted').and.contain('Valid Secrets None');
    });

    it('given a datetime-local value without a zone, then it is read as UTC (the label says so)', async () => {
      const html = await asOf(local(moments.renamed!));
      expect(html).to.contain('Date and time (UTC)').and.contain(`value="${local(moments.renamed!)}"`);
      expect(asOfText(html)).to.contain('Name Story app renamed');
    });

    it('given a malformed or impossible time, then an inline error, the timeline still shown, nothing else', async () => {
      for (const bad of ['yesterday', '2026-02-30T10:00', '2026-01-01T25:00:00Z']) {
        const res = await admin.get(`/console/oauth-applications/${app.id}?tab=history&asOf=${encodeURIComponent(bad)}`);
        expect(res.status, bad).to.equal(200);
        expect(res.html, bad).to.contain('is-invalid').and.contain('id="asOf-error"').and.contain('ISO-8601');
        expect(res.html, bad).to.contain('<caption class="visually-hidden">History</caption>');
        expect(res.html, bad).to.not.match(/at \w+ \(|node_modules|\.ts:\d+/);
      }
    });
  });

  describe('Tokens: period, pages and chart', () => {
    let app: { id: string; clientId: string; clientSecret: string };
    const jtis: string[] = [];
    let firstHour: Date;

    before(async () => {
      step(HOUR);
      firstHour = new Date(Math.floor(clock.getTime() / HOUR) * HOUR);
      clock = new Date(firstHour.getTime() + 10 * 60_000);
      adminToken = await bootstrapAdminToken(server.url); // the clock jumped: a fresh token
      app = (await api('POST', '/admin/oauth-applications', { name: 'Busy app', grants: ['client_credentials'], organizationId })).body;
      // Two tokens in the first hour, none in the second, three in the third.
      for (const [hour, count] of [[0, 2], [2, 3]] as const) {
        clock = new Date(firstHour.getTime() + hour * HOUR + 10 * 60_000);
        for (let i = 0; i < count; i += 1) {
          const token = await clientToken(server.url, app.clientId, app.clientSecret);
          expect(token.status, JSON.stringify(token.body)).to.equal(200);
          jtis.push(jtiOf(token));
          step();
        }
      }
      clock = new Date(firstHour.getTime() + 2 * HOUR + 30 * 60_000);
      adminToken = await bootstrapAdminToken(server.url);
      admin = await signedIn('admin', 'admin-password-123');
    });

    const tab = (query = '') => admin.get(`/console/oauth-applications/${app.id}?tab=tokens${query}`);

    it('given tokens in known hours, then the per-hour chart counts each hour (last 24 h) and is an accessible image', async () => {
      const { html } = await tab();
      const figures = chartFigures(html);
      expect(figures).to.have.length(24);
      expect(figures.slice(-3)).to.deep.equal([2, 0, 3]);
      expect(figures.slice(0, -3).every((n) => n === 0)).to.equal(true);
      expect(html).to.match(/<svg class="tg-chart"[^>]*role="img"/).and.contain('<title id="tg-chart-title">Token events (tokens issued and revoked, authorization codes issued) per hour');
      expect(html).to.contain('5 token events in 24 hours');
    });

    it('given the per-day view, then the last 30 days, today holding all five', async () => {
      const figures = chartFigures((await tab('&chart=day')).html);
      expect(figures).to.have.length(30);
      const today = firstHour.getUTCDate() === clock.getUTCDate() ? [5] : [2, 3];
      expect(figures.slice(-today.length)).to.deep.equal(today);
      expect(figures.reduce((a, b) => a + b, 0)).to.equal(5);
    });

    it('given two per page, when Older is followed to the end, then every token once, newest first, no gaps', async () => {
      const seen: string[] = [];
      let path: string | undefined = `/console/oauth-applications/${app.id}?tab=tokens&perPage=2`;
      let pages = 0;
      while (path !== undefined && pages < 10) {
        const { html } = await admin.get(path);
        const ids = tokenIds(html);
        expect(ids.length).to.be.at.most(2);
        seen.push(...ids);
        path = link(html, 'Older');
        if (pages > 0) expect(link(html, 'Newest')).to.be.a('string');
        pages += 1;
      }
      expect(seen).to.deep.equal([...jtis].reverse());
      expect(pages).to.equal(3);
    });

    it('given a period (datetime-local, UTC), then only its tokens, and the chart covers the period', async () => {
      const from = new Date(firstHour.getTime() + 2 * HOUR);
      const { html } = await tab(`&from=${local(from)}`);
      expect(tokenIds(html)).to.deep.equal(jtis.slice(2).reverse());
      expect(html).to.contain(`value="${local(from)}"`);
      expect(chartFigures(html)).to.deep.equal([3]);

      const until = new Date(firstHour.getTime() + HOUR);
      const early = await tab(`&to=${encodeURIComponent(until.toISOString())}`);
      expect(tokenIds(early.html)).to.deep.equal(jtis.slice(0, 2).reverse());
    });

    it('given a bad period, then inline errors naming each field (the admin API validation), no rows', async () => {
      const bad = await tab('&from=soon&to=2026-13-01T00:00');
      expect(bad.status).to.equal(200);
      expect(bad.html).to.contain('id="tokens-from-error"').and.contain('id="tokens-to-error"').and.contain('must be an ISO-8601 time');
      expect(tokenIds(bad.html)).to.deep.equal([]);
      const reversed = await tab(`&from=${local(clock)}&to=${local(firstHour)}`);
      expect(reversed.html).to.contain('must be after from');
      const tampered = await tab('&cursor=not-a-cursor');
      expect(tampered.status).to.equal(200);
      expect(tampered.html).to.contain('is not a cursor');
    });

    it('given an application with no tokens, then the chart shows zeros and the table says so', async () => {
      const quiet = (await api('POST', '/admin/oauth-applications', { name: 'Quiet app', grants: ['client_credentials'], organizationId })).body;
      const { html } = await admin.get(`/console/oauth-applications/${quiet.id}?tab=tokens`);
      expect(chartFigures(html).every((n) => n === 0)).to.equal(true);
      expect(html).to.contain('No tokens have been issued.');
    });

    it('given the token stream, then the chart did not read it: its cost is a few point reads (the store counts them)', async () => {
      const { tokenActivity, bucketStarts, alignedEnd } = await import('../../src/audit/tokenActivity.js');
      const activity = await tokenActivity(server.tollgate.store, app.id, bucketStarts(alignedEnd(clock, 'hour'), 'hour', 24));
      expect(activity.buckets.map((b) => b.count).slice(-3)).to.deep.equal([2, 0, 3]);
      const events = (await server.tollgate.store.readStream(toTokensStreamName(app.id))).length;
      // 3 bound reads and at most ⌈log₂ n⌉ + 1 per boundary: with 5 events, ≤ 3 + 25 × 4.
      expect(activity.reads).to.be.at.most(3 + 25 * (Math.ceil(Math.log2(events)) + 1));
    });
  });

  describe('Tokens: last used per secret during a grace period', () => {
    it('given a rotation with grace, when both secrets obtain tokens, then the Tokens and General tabs show each one\'s last use', async () => {
      const app = (await api('POST', '/admin/oauth-applications', { name: 'Rotating app', grants: ['client_credentials'], organizationId })).body;
      step();
      const rotation = await api('POST', `/admin/oauth-applications/${app.id}/rotate-secret`, { graceSeconds: 3600 });
      expect(rotation.status, JSON.stringify(rotation.body)).to.equal(200);
      const outside = await admin.get(`/console/oauth-applications/${app.id}?tab=tokens`);
      expect(outside.html).to.contain('data-testid="secret-use"').and.contain('Previous secret last used: not used since the rotation');
      const previousAt = step();
      expect((await clientToken(server.url, app.clientId, app.clientSecret)).status).to.equal(200);
      const currentAt = step();
      expect((await clientToken(server.url, app.clientId, rotation.body.clientSecret)).status).to.equal(200);

      const events = await server.tollgate.store.readStream(toTokensStreamName(app.id));
      expect(events.map((e) => (e.data as { previousSecret?: number }).previousSecret)).to.deep.equal([1, undefined]);
      const shows = (html: string) =>
        html.includes(`Previous secret last used: ${previousAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`) &&
        html.includes(`Current secret last used: ${currentAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
      // Last used is coalesced (flushed about once a second): wait for the figure, not a time.
      let tokensTab = '';
      for (let i = 0; i < 100 && !shows(tokensTab); i += 1) {
        tokensTab = (await admin.get(`/console/oauth-applications/${app.id}?tab=tokens`)).html;
        if (!shows(tokensTab)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(shows(tokensTab), tokensTab.slice(tokensTab.indexOf('secret-use'), tokensTab.indexOf('secret-use') + 600)).to.equal(true);
      expect(shows((await admin.get(`/console/oauth-applications/${app.id}`)).html)).to.equal(true);
      expect(tokensTab).to.contain('Issued (previous secret)');
    });
  });

  describe('who may see these pages', () => {
    let app: { id: string };
    before(async () => {
      app = (await api('POST', '/admin/oauth-applications', { name: 'Guarded app', grants: ['client_credentials'], organizationId })).body;
      const other = await api('POST', '/admin/organizations', { name: 'Elsewhere', globalAccess: false });
      for (const [username, roles, organizationIds] of [['auditor14', ['auditor'], [organizationId]], ['otheradmin14', ['admin'], [other.body.id]]] as const) {
        const user = await api('POST', '/admin/users', { username, email: `${username}@example.com`, password: PASSWORD, kind: 'backOffice', roles, organizationIds });
        expect(user.status, JSON.stringify(user.body)).to.equal(201);
      }
    });

    it('given the auditor role, then the as-of view and the Tokens chart are shown, with no write buttons', async () => {
      const auditor = await signedIn('auditor14', PASSWORD);
      const history = await auditor.get(`/console/oauth-applications/${app.id}?tab=history&asOf=${encodeURIComponent(clock.toISOString())}`);
      const tokens = await auditor.get(`/console/oauth-applications/${app.id}?tab=tokens&chart=day`);
      expect(history.status).to.equal(200);
      expect(asOfText(history.html)).to.contain('Name Guarded app');
      expect(tokens.status).to.equal(200);
      expect(chartFigures(tokens.html)).to.have.length(30);
      for (const html of [history.html, tokens.html]) expect(html).to.not.contain('/rotate-secret').and.not.contain(`/console/oauth-applications/${app.id}/edit`);
    });

    it('given an administrator of another organization, then the History as-of and Tokens pages are 404 and show nothing of it', async () => {
      const outsider = await signedIn('otheradmin14', PASSWORD);
      for (const query of [`?tab=history&asOf=${encodeURIComponent(clock.toISOString())}`, '?tab=tokens', '?tab=tokens&chart=day&from=2020-01-01T00:00']) {
        const res = await outsider.get(`/console/oauth-applications/${app.id}${query}`);
        expect(res.status, query).to.equal(404);
        expect(res.html).to.not.contain('Guarded app').and.not.contain('tg-chart');
      }
    });
  });
});
