import { request } from 'undici';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startTollgate, type StartOptions, type Tollgate } from '../../src/app/tollgate.js';
import { freePort } from './freePort.js';
import { createTempDir, type TempDir } from './tempDir.js';

export { freePort };

export const ADMIN_PASSWORD = 'admin-password-123';
export const BOOTSTRAP_CLIENT_ID = 'bootstrap-client-0001';
export const BOOTSTRAP_CLIENT_SECRET = 'bootstrap-secret-0123456789abcdefghijklmnop';

export interface TestServer {
  tollgate: Tollgate;
  url: string;
  dir: TempDir;
  config: Config;
  stop(): Promise<void>;
}

/**
 * A real Tollgate on the embedded defaults, on a free loopback port, in a fresh temp
 * DATA_DIR/KEYS_DIR, with known bootstrap credentials. `env` overrides variables.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: StartOptions & { dir?: TempDir } = {},
): Promise<TestServer> {
  const dir = options.dir ?? (await createTempDir('tollgate-e2e-'));
  const port = String(await freePort());
  const config = loadConfig({
    PORT: port,
    DATA_DIR: dir.file('var'),
    KEYS_DIR: dir.file('keys'),
    ADMIN_PASSWORD,
    BOOTSTRAP_CLIENT_ID,
    BOOTSTRAP_CLIENT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // Tests read lists right after writes: a generous read-your-writes wait keeps a busy machine
    // from answering before the projection (tests of the stale path set their own).
    READ_YOUR_WRITES_TIMEOUT_MS: '10000',
    ...env,
  });
  const tollgate = await startTollgate(config, createLogger({ level: config.logLevel }), {
    printBootstrap: false,
    ...options,
  });
  return {
    tollgate,
    url: tollgate.url,
    dir,
    config,
    async stop() {
      await tollgate.stop();
      if (!options.dir) await dir.remove();
    },
  };
}

export interface HttpResult<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A JSON HTTP call through a real socket. */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${baseUrl}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode, headers: res.headers as HttpResult['headers'], body: parsed as T };
}

/** An admin API token through the password grant of the bootstrap client... which has only
 * client_credentials; so: client credentials of the bootstrap client act as the admin. */
export async function bootstrapAdminToken(baseUrl: string): Promise<string> {
  const res = await http(baseUrl, 'POST', '/oauth2-token', {
    rawBody: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BOOTSTRAP_CLIENT_ID,
      client_secret: BOOTSTRAP_CLIENT_SECRET,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

/** A token for any client-credentials application. */
export async function clientToken(baseUrl: string, clientId: string, clientSecret: string): Promise<HttpResult> {
  return http(baseUrl, 'POST', '/oauth2-token', {
    rawBody: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/**
 * Polls GET /readyz until it answers 200 (a condition, not a fixed sleep: a loaded machine
 * only makes it take longer). Fails with the last body after `timeoutMs`.
 */
export async function waitUntilReady(baseUrl: string, timeoutMs = 60_000): Promise<HttpResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await http(baseUrl, 'GET', '/readyz');
    if (ready.status === 200) return ready;
    if (Date.now() > deadline) throw new Error(`/readyz stayed ${ready.status}: ${JSON.stringify(ready.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
