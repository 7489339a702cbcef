import { BENCH_CLIENT_ID, BENCH_CLIENT_SECRET } from './benchServers.js';

/** Small HTTP helpers for preparing a scenario through Tollgate's public API. */
export const basicAuth = (clientId: string, clientSecret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

export const FORM = 'application/x-www-form-urlencoded';

export async function postForm(
  url: string,
  params: Record<string, string>,
  authorization: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': FORM },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function adminCall<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A client-credentials token of the bootstrap client (owned by the administrator). */
export async function benchClientToken(baseUrl: string): Promise<string> {
  const res = await postForm(`${baseUrl}/oauth2-token`, { grant_type: 'client_credentials' }, basicAuth(BENCH_CLIENT_ID, BENCH_CLIENT_SECRET));
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body['access_token'] as string;
}

export interface PasswordFixture {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/** A back-office user and a password-grant application (refresh tokens come with it). */
export async function createPasswordFixture(baseUrl: string): Promise<PasswordFixture> {
  const admin = await benchClientToken(baseUrl);
  const me = await adminCall<{ organizationIds: string[] }>(baseUrl, admin, 'GET', '/admin/me');
  const username = 'bench-user';
  const password = 'bench-user-password-1';
  await adminCall(baseUrl, admin, 'POST', '/admin/users', {
    username,
    email: 'bench-user@tollgate.local',
    password,
    kind: 'backOffice',
    roles: ['user'],
    organizationIds: me.organizationIds,
  });
  const app = await adminCall<{ clientId: string; clientSecret: string }>(baseUrl, admin, 'POST', '/admin/oauth-applications', {
    name: 'bench password app',
    grants: ['password'],
  });
  return { clientId: app.clientId, clientSecret: app.clientSecret, username, password };
}
