import { expect } from 'chai';
import type { RouteEntry } from '../../src/app/routeList.js';
import { documentedRoutes } from '../../src/http/openapi.js';
import { http, startTestServer, type TestServer } from '../support/tollgateServer.js';

/**
 * The OpenAPI document against the real routes: the running server lists every route its
 * routers answer (`Tollgate.routes`), so a router added in src/app/tollgate.ts is checked
 * without changing this test.
 */
describe('GET /openapi.json', () => {
  let server: TestServer;
  let registered: RouteEntry[];

  before(async () => {
    server = await startTestServer();
    // The console (/console/*) serves HTML pages and form posts, not the JSON API the
    // document describes: excluded here on purpose (its pages are tested in test/console/).
    registered = server.tollgate.routes.filter((r) => !r.path.startsWith('/console'));
  });
  after(async () => server.stop());

  const key = (r: RouteEntry): string => `${r.method} ${r.path}`;

  it('given a running server, when fetched without a token, then it is an OpenAPI 3.1 JSON document', async () => {
    const res = await http(server.url, 'GET', '/openapi.json');
    expect(res.status).to.equal(200);
    expect(String(res.headers['content-type'])).to.match(/^application\/json/);
    expect(res.body.openapi).to.match(/^3\.1\.\d+$/);
    expect(res.body.info).to.include.keys(['title', 'version']);
    expect(res.body.paths).to.be.an('object');
    expect(res.body.components.securitySchemes.bearer).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('given the mounted routers, then there are routes to check (the collection works)', () => {
    const routes = registered.map(key);
    expect(routes).to.include.members(['POST /oauth2-token', 'GET /admin/oauth-applications', 'GET /openapi.json', 'GET /admin/notification-jobs']);
    expect(routes.filter((r) => r.startsWith('HEAD '))).to.deep.equal([]);
  });

  it('every registered route is documented', () => {
    const documented = new Set(documentedRoutes().map(key));
    const undocumented = registered.map(key).filter((r) => !documented.has(r));
    expect(undocumented, 'routes missing from src/http/openapi.ts').to.deep.equal([]);
  });

  it('every documented route exists', () => {
    const existing = new Set(registered.map(key));
    const missing = documentedRoutes().map(key).filter((r) => !existing.has(r));
    expect(missing, 'documented in src/http/openapi.ts but not registered').to.deep.equal([]);
  });

  it('the served document is the one documentedRoutes() describes, and every operation has responses', async () => {
    const res = await http(server.url, 'GET', '/openapi.json');
    const served = Object.entries(res.body.paths as Record<string, Record<string, { responses?: object }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        expect(op.responses, `${method} ${path}`).to.be.an('object').that.is.not.empty;
        return `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      }),
    );
    expect(served.sort()).to.deep.equal(documentedRoutes().map(key).sort());
  });

  it('every $ref resolves to a component', async () => {
    const res = await http(server.url, 'GET', '/openapi.json');
    const refs = [...JSON.stringify(res.body).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).to.be.greaterThan(0);
    for (const ref of new Set(refs)) expect(res.body.components.schemas, ref).to.have.property(ref);
  });
});
