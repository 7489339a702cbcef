import type { AutocannonClient } from 'autocannon';
import type { SigningAlg } from '../../src/keys/keyAlgorithms.js';
import { BENCH_CLIENT_ID, BENCH_CLIENT_SECRET } from './benchServers.js';
import type { LoadSpec } from './loadRun.js';
import { FORM, basicAuth, benchClientToken, createPasswordFixture, postForm, type PasswordFixture } from './tollgateAdmin.js';

/**
 * What each scenario sends. Client authentication is client_secret_basic everywhere, for
 * both servers. `forRun` is called before every timed run (warm-up included), so a scenario
 * that consumes state (refresh chains) starts each run fresh.
 */
export type ScenarioName = 'cc-rs256' | 'cc-es256' | 'password' | 'refresh' | 'introspection';
export const SCENARIOS: readonly ScenarioName[] = ['cc-rs256', 'cc-es256', 'password', 'refresh', 'introspection'];

export interface Scenario {
  name: ScenarioName;
  title: string;
  alg: SigningAlg;
  /** Whether node-oidc-provider runs it too (it has no password grant, and introspects only opaque tokens). */
  withPeer: boolean;
  /** What a 2xx is: 'tokens' or 'introspections'. */
  unit: string;
  /** Prepares Tollgate (users, applications) once; returns the per-run request factory. */
  prepareTollgate(baseUrl: string, connections: number): Promise<() => Promise<LoadSpec>>;
  peerSpec(): LoadSpec;
}

const benchBasic = basicAuth(BENCH_CLIENT_ID, BENCH_CLIENT_SECRET);
const clientCredentials = (path: string): LoadSpec => ({
  path,
  headers: { authorization: benchBasic, 'content-type': FORM },
  body: 'grant_type=client_credentials',
});
const peerClientCredentials = (): LoadSpec => clientCredentials('/token');
const noPeer = (): LoadSpec => {
  throw new Error('this scenario runs against Tollgate only');
};

const loginBody = (f: PasswordFixture) =>
  new URLSearchParams({ grant_type: 'password', username: f.username, password: f.password }).toString();

/** One refresh token per connection: each connection follows its own rotating chain. */
async function refreshChains(baseUrl: string, f: PasswordFixture, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await postForm(`${baseUrl}/oauth2-token`, Object.fromEntries(new URLSearchParams(loginBody(f))), basicAuth(f.clientId, f.clientSecret));
    if (res.status !== 200 || typeof res.body['refresh_token'] !== 'string') {
      throw new Error(`password login for a refresh chain failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    tokens.push(res.body['refresh_token']);
  }
  return tokens;
}

function refreshSpec(f: PasswordFixture, chains: string[]): LoadSpec {
  const headers = { authorization: basicAuth(f.clientId, f.clientSecret), 'content-type': FORM };
  const bodyFor = (token: string) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;
  let next = 0;
  return {
    path: '/oauth2-token',
    headers,
    body: bodyFor(chains[0]!),
    setupClient(client: AutocannonClient) {
      // Each connection owns one chain: it always presents the latest token of that chain.
      const chain = { token: chains[next++ % chains.length]! };
      client.setRequests([
        {
          method: 'POST',
          path: '/oauth2-token',
          headers,
          setupRequest: (request) => ({ ...request, body: bodyFor(chain.token) }),
          onResponse: (status, body) => {
            if (status === 200) chain.token = (JSON.parse(body) as { refresh_token: string }).refresh_token;
          },
        },
      ]);
    },
  };
}

export const scenarios: Record<ScenarioName, Scenario> = {
  'cc-rs256': {
    name: 'cc-rs256',
    title: 'client_credentials, RS256 (2048-bit)',
    alg: 'RS256',
    withPeer: true,
    unit: 'tokens',
    prepareTollgate: async () => async () => clientCredentials('/oauth2-token'),
    peerSpec: peerClientCredentials,
  },
  'cc-es256': {
    name: 'cc-es256',
    title: 'client_credentials, ES256 (P-256)',
    alg: 'ES256',
    withPeer: true,
    unit: 'tokens',
    prepareTollgate: async () => async () => clientCredentials('/oauth2-token'),
    peerSpec: peerClientCredentials,
  },
  password: {
    name: 'password',
    title: 'password grant, RS256 (scrypt per request; a refresh token too)',
    alg: 'RS256',
    withPeer: false,
    unit: 'tokens',
    async prepareTollgate(baseUrl) {
      const f = await createPasswordFixture(baseUrl);
      const spec: LoadSpec = {
        path: '/oauth2-token',
        headers: { authorization: basicAuth(f.clientId, f.clientSecret), 'content-type': FORM },
        body: loginBody(f),
      };
      return async () => spec;
    },
    peerSpec: noPeer,
  },
  refresh: {
    name: 'refresh',
    title: 'refresh_token rotation, RS256 (one chain per connection)',
    alg: 'RS256',
    withPeer: false,
    unit: 'tokens',
    async prepareTollgate(baseUrl, connections) {
      const f = await createPasswordFixture(baseUrl);
      return async () => refreshSpec(f, await refreshChains(baseUrl, f, connections));
    },
    peerSpec: noPeer,
  },
  introspection: {
    name: 'introspection',
    title: 'introspection of a JWT access token (RFC 7662)',
    alg: 'RS256',
    withPeer: false,
    unit: 'introspections',
    async prepareTollgate(baseUrl) {
      const token = await benchClientToken(baseUrl);
      const spec: LoadSpec = {
        path: '/oauth2-token/introspect',
        headers: { authorization: benchBasic, 'content-type': FORM },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      };
      return async () => spec;
    },
    peerSpec: noPeer,
  },
};
