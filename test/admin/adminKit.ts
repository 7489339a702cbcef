/**
 * Shared steps for the admin API tests: one real server per test file, organizations and
 * users created through the admin API, users' tokens through the password grant of a
 * password-grant application, and the problem+json assertions every bad-input test makes.
 */
import { expect } from 'chai';
import type { UserRole } from '../../src/domain/user/userEvents.js';
import {
  bootstrapAdminToken,
  http,
  startTestServer,
  type HttpResult,
  type TestServer,
} from '../support/tollgateServer.js';

export { http, clientToken, type HttpResult } from '../support/tollgateServer.js';

export const USER_PASSWORD = 'user-password-123';

export interface Admin {
  server: TestServer;
  url: string;
  /** Token of the bootstrap administrator (organization A, global access). */
  token: string;
  /** The bootstrap administrator's user id and organization id. */
  adminId: string;
  orgA: string;
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

/**
 * Starts a server and signs the administrator in. READ_YOUR_WRITES_TIMEOUT_MS is generous:
 * tests read right after writing, and on a loaded machine the read model may take a while.
 */
export async function startAdmin(env: Record<string, string> = {}): Promise<Admin> {
  const server = await startTestServer({ READ_YOUR_WRITES_TIMEOUT_MS: '10000', ...env });
  const token = await bootstrapAdminToken(server.url);
  const me = await http(server.url, 'GET', '/admin/me', { token });
  expect(me.status).to.equal(200);
  return { server, url: server.url, token, adminId: me.body.id, orgA: me.body.organizationIds[0] };
}

let counter = 0;
/** A name unique within the test run. */
export const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

export async function createOrganization(admin: Admin, name = unique('org'), globalAccess = false): Promise<string> {
  const res = await http(admin.url, 'POST', '/admin/organizations', { token: admin.token, body: { name, globalAccess } });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id as string;
}

const passwordApps = new Map<string, { clientId: string; clientSecret: string }>();

/**
 * A password-grant application (one per server and organization) to sign users in with: a
 * user obtains tokens only through applications of an organization they belong to.
 */
async function passwordApp(admin: Admin, organizationId: string): Promise<{ clientId: string; clientSecret: string }> {
  const key = `${admin.url}|${organizationId}`;
  const known = passwordApps.get(key);
  if (known) return known;
  const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
    token: admin.token,
    body: { name: unique('password-login'), grants: ['password'], organizationId },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  const app = { clientId: res.body.clientId as string, clientSecret: res.body.clientSecret as string };
  passwordApps.set(key, app);
  return app;
}

export async function passwordToken(
  admin: Admin,
  username: string,
  password = USER_PASSWORD,
  organizationId = admin.orgA,
): Promise<HttpResult> {
  const app = await passwordApp(admin, organizationId);
  return http(admin.url, 'POST', '/oauth2-token', {
    rawBody: new URLSearchParams({
      grant_type: 'password',
      username,
      password,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Registers a back-office user through the admin API and (unless told not to) signs them in. */
export async function createUser(
  admin: Admin,
  options: { organizationIds: string[]; roles?: UserRole[]; username?: string; signIn?: boolean },
): Promise<TestUser> {
  const username = options.username ?? unique('user');
  const res = await http(admin.url, 'POST', '/admin/users', {
    token: admin.token,
    body: {
      username,
      email: `${username}@example.test`,
      password: USER_PASSWORD,
      kind: 'backOffice',
      roles: options.roles ?? ['user'],
      organizationIds: options.organizationIds,
    },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  if (options.signIn === false) return { id: res.body.id, username, token: '' };
  const token = await passwordToken(admin, username, USER_PASSWORD, options.organizationIds[0]);
  expect(token.status, JSON.stringify(token.body)).to.equal(200);
  return { id: res.body.id, username, token: token.body.access_token };
}

export async function createApp(
  admin: { url: string; token: string },
  body: Record<string, unknown>,
): Promise<HttpResult> {
  const res = await http(admin.url, 'POST', '/admin/oauth-applications', {
    token: admin.token,
    body: { grants: ['client_credentials'], ...body },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res;
}

/** The response is RFC 9457 problem+json with this status, and shows no internals. */
export function expectProblem(res: HttpResult, status: number): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(String(res.headers['content-type'])).to.match(/^application\/problem\+json/);
  expect(res.body).to.include({ status });
  expect(res.body.type).to.be.a('string');
  expect(res.body.title).to.be.a('string');
  const text = JSON.stringify(res.body);
  expect(text).not.to.match(/\bat .*\.(ts|js):\d+/);
  expect(text).not.to.include('stack');
}

/** The field errors of a problem name this field (or an item of it: `grants[0]`). */
export function expectFieldError(res: HttpResult, field: string): void {
  const fields = ((res.body.errors ?? []) as Array<{ field: string }>).map((e) => e.field);
  const named = fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`));
  expect(named, `${field} not in ${JSON.stringify(res.body)}`).to.equal(true);
}

/** No stored secret or password hash anywhere in a response body. */
export function expectNoHashes(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.to.include('sha256$');
  expect(text).not.to.include('scrypt$');
}

export const etag = (res: HttpResult): string => String(res.headers.etag);
