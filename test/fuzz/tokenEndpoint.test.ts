import fc from 'fast-check';
import {
  ADMIN_PASSWORD,
  BOOTSTRAP_CLIENT_ID,
  BOOTSTRAP_CLIENT_SECRET,
  bootstrapAdminToken,
  http,
  startTestServer,
  type TestServer,
} from '../support/tollgateServer.js';
import { contentTypes, expectResponsive, expectSane, fuzzParameters, fuzzRuns, headerValue, nastyString, send, type RawRequest } from './support/fuzzHttp.js';

/**
 * Property: whatever arrives at the OAuth endpoints — any parameter mix, encoding, content
 * type, Authorization header — the answer is never a 5xx and carries the security headers,
 * and the server keeps answering /healthz after every batch.
 */
describe('fuzz: the OAuth endpoints through real HTTP', function () {
  this.timeout(120_000);
  let server: TestServer;
  const known: Record<string, string[]> = {};

  before(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '1000' }, { runWorker: false });
    const admin = await bootstrapAdminToken(server.url);
    const app = await http(server.url, 'POST', '/admin/oauth-applications', {
      token: admin,
      body: { name: 'fuzz password app', grants: ['password'] },
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const pw = await http(server.url, 'POST', '/oauth2-token', {
      rawBody: new URLSearchParams({ grant_type: 'password', client_id: app.body.clientId, client_secret: app.body.clientSecret, username: 'admin', password: ADMIN_PASSWORD }).toString(),
      headers: form,
    });
    known.client_id = [BOOTSTRAP_CLIENT_ID, app.body.clientId as string];
    known.client_secret = [BOOTSTRAP_CLIENT_SECRET, app.body.clientSecret as string];
    known.grant_type = ['client_credentials', 'password', 'refresh_token', 'authorization_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'];
    known.username = ['admin', 'nobody'];
    known.password = [ADMIN_PASSWORD, 'wrong'];
    known.refresh_token = [pw.body.refresh_token as string, 'abc.def'];
    known.token = [admin, pw.body.access_token as string, pw.body.refresh_token as string];
    known.token_type_hint = ['access_token', 'refresh_token', 'id_token'];
    known.scope = ['read', 'read write', 'admin'];
  });
  after(() => server.stop());

  const paramName = fc.oneof(
    fc.constantFrom('grant_type', 'client_id', 'client_secret', 'username', 'password', 'refresh_token', 'scope', 'scopes', 'token', 'token_type_hint', 'resource', 'audience'),
    nastyString,
  );
  const paramValue = (name: string) => {
    const values = Object.hasOwn(known, name) ? known[name] : undefined;
    return values ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: nastyString }) : nastyString;
  };
  const randomParams = fc
    .array(paramName, { maxLength: 7 })
    .chain((names) => fc.tuple(...names.map((n) => paramValue(n).map((v) => [n, v] as [string, string]))));
  /** A well-formed request of each kind, then a few mutations (a key dropped, changed or added). */
  const template = (): fc.Arbitrary<{ path: string; pairs: [string, string][] }> =>
    fc.constantFrom(
      { path: '/oauth2-token', pairs: { grant_type: 'client_credentials', client_id: known.client_id![0]!, client_secret: known.client_secret![0]! } },
      { path: '/oauth2-token', pairs: { grant_type: 'password', client_id: known.client_id![1]!, client_secret: known.client_secret![1]!, username: 'admin', password: ADMIN_PASSWORD, scope: 'read' } },
      { path: '/oauth2-token', pairs: { grant_type: 'refresh_token', client_id: known.client_id![1]!, client_secret: known.client_secret![1]!, refresh_token: known.refresh_token![0]! } },
      { path: '/oauth2-token/introspect', pairs: { client_id: known.client_id![0]!, client_secret: known.client_secret![0]!, token: known.token![1]!, token_type_hint: 'access_token' } },
      { path: '/oauth2-token/revoke', pairs: { client_id: known.client_id![1]!, client_secret: known.client_secret![1]!, token: known.refresh_token![1]! } },
    ).chain(({ path, pairs }) =>
      fc
        .array(fc.oneof(fc.constant<['drop', string]>(['drop', '']), paramName.map((n) => ['set', n] as ['set', string])), { maxLength: 3 })
        .chain((ops) => fc.tuple(...ops.map(([op, name]) => (op === 'drop' ? fc.constant([op, name, ''] as const) : paramValue(name).map((v) => [op, name, v] as const)))))
        .map((ops) => {
          const entries = new Map(Object.entries(pairs));
          for (const [op, name, value] of ops) {
            if (op === 'drop') entries.delete([...entries.keys()][entries.size - 1] ?? '');
            else entries.set(name, value);
          }
          return { path, pairs: [...entries] };
        }),
    );
  const params = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).chain(() => template()) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/oauth2-token', '/oauth2-token/introspect', '/oauth2-token/revoke'), randomParams).map(([path, pairs]) => ({ path, pairs })) },
  );
  const jsonValue = (value: string) =>
    fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(value) }, fc.jsonValue(), fc.constant(null), fc.array(fc.constant(value)));

  const body = (pairs: [string, string][]) =>
    fc.oneof(
      fc.constant(new URLSearchParams(pairs).toString()),
      fc.constant(pairs.map(([k, v]) => `${k}=${v}`).join('&')), // unencoded
      fc.tuple(...pairs.map(([k, v]) => jsonValue(v).map((j) => [k, j] as const))).map((entries) => JSON.stringify(Object.fromEntries(entries))),
      fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      nastyString,
    );
  const basic = fc
    .tuple(fc.oneof(fc.constantFrom(...['bootstrap-client-0001']), nastyString), fc.oneof(fc.constant(BOOTSTRAP_CLIENT_SECRET), nastyString))
    .map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`);
  const authorization = fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    basic,
    headerValue.map((v) => `Basic ${v}`),
    headerValue.map((v) => `Bearer ${v}`),
    headerValue,
  );
  const extraHeaders = fc.dictionary(
    fc.constantFrom('x-forwarded-for', 'origin', 'accept', 'accept-encoding', 'x-correlation-id', 'user-agent', 'dpop', 'content-encoding'),
    headerValue,
    { maxKeys: 3 },
  );

  const encodings = (pairs: [string, string][]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(pairs).toString() as string | Buffer }) },
      { weight: 3, arbitrary: fc.constant({ type: 'application/json', body: JSON.stringify(Object.fromEntries(pairs)) as string | Buffer }) },
      { weight: 2, arbitrary: fc.record({ type: fc.option(contentTypes, { nil: undefined }), body: body(pairs) }) },
    );
  const oauthRequest: fc.Arbitrary<RawRequest> = params.chain(({ path, pairs }) =>
    fc
      .record({
        method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH')),
        path: fc.oneof({ weight: 10, arbitrary: fc.constant(path) }, fc.constantFrom('/oauth2-token/', '/oauth2-token?grant_type=client_credentials', '/OAUTH2-TOKEN')),
        encoded: encodings(pairs),
        authorization,
        extra: extraHeaders,
      })
      .map(({ method, path: p, encoded, authorization: auth, extra }) => ({
        method,
        path: p,
        headers: { ...extra, ...(encoded.type ? { 'content-type': encoded.type } : {}), ...(auth ? { authorization: auth } : {}) },
        body: encoded.body,
      })),
  );

  const batches = 4;
  const perBatch = Math.ceil(fuzzRuns(400) / batches);
  for (let batch = 1; batch <= batches; batch++) {
    it(`batch ${batch}: ${perBatch} random requests, never a 5xx, then /healthz answers`, async () => {
      await fc.assert(
        fc.asyncProperty(oauthRequest, async (req) => expectSane(await send(server.url, req), req)),
        fuzzParameters(perBatch) as fc.Parameters<[RawRequest]>,
      );
      await expectResponsive(server.url);
    });
  }
});
