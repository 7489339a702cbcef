/**
 * The benchmark peer: node-oidc-provider configured for the job Tollgate's headline scenario
 * does — one confidential client, client_credentials, JWT access tokens (typ at+jwt) through
 * resource indicators, the default in-memory adapter. Plain JavaScript, run in its own
 * process by bench/lib/childServer.ts.
 *
 * Environment: PORT, BENCH_JWK_FILE (the private signing key as a JWK, with kid and alg),
 * BENCH_CLIENT_ID, BENCH_CLIENT_SECRET. Prints `READY <url>` once listening; SIGTERM stops it.
 */
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const jwk = JSON.parse(readFileSync(process.env.BENCH_JWK_FILE, 'utf8'));
const alg = jwk.alg;
const audience = 'urn:tollgate-bench:api';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.BENCH_CLIENT_ID,
      client_secret: process.env.BENCH_CLIENT_SECRET,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // Without an RS256 key in jwks the client must name the algorithm it can get.
      id_token_signed_response_alg: alg,
    },
  ],
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api:read',
        audience,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg } },
      }),
    },
  },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
server.keepAliveTimeout = 5_000;

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2_000).unref();
});
