import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createSqliteEventStore, type SqliteEventStore } from '../../../src/eventStore/sqliteEventStore.js';
import { createCommandHandler } from '../../../src/commands/commandHandler.js';
import { createServerStateCache } from '../../../src/commands/aggregateStateCache.js';
import type { CommandDeps } from '../../../src/commands/commandDeps.js';
import { createApiCatalog, defaultApiEntries, type ApiEntry } from '../../../src/apiCatalog/apiCatalog.js';
import { loadOrCreateKeys } from '../../../src/keys/keyStore.js';
import type { KeyRing } from '../../../src/keys/keyRing.js';
import { createStateCache, type StateCache } from '../../../src/tokens/stateCache.js';
import { createTokenService, type TokenService } from '../../../src/tokens/tokenService.js';
import { createTokenRouter } from '../../../src/tokens/tokenRouter.js';
import type { TokenSettings } from '../../../src/tokens/tokenServiceDeps.js';
import { createTempDir, type TempDir } from '../../support/tempDir.js';

/**
 * A real token server for tests: SQLite event store and keys in a temporary directory, the
 * state cache subscribed to the store, the token router in a Koa app on a loopback port.
 * The clock is adjustable (`clock.advance(seconds)`) for expiry tests.
 */
export interface TestClock {
  now: () => Date;
  advance(seconds: number): void;
}

export interface TokenServer {
  url: string;
  issuer: string;
  store: SqliteEventStore;
  commandDeps: CommandDeps;
  cache: StateCache;
  keys: KeyRing;
  service: TokenService;
  clock: TestClock;
  dir: TempDir;
  close(): Promise<void>;
}

export interface TokenServerOptions {
  settings?: Partial<TokenSettings & { tokenEventRetention: number }>;
  corsAllowedOrigins?: string[];
  production?: boolean;
  keysDir?: string;
  catalogEntries?: (issuer: string) => ApiEntry[];
  bodyLimit?: number;
}

export function createTestClock(start = Date.now()): TestClock {
  let current = start;
  return { now: () => new Date(current), advance: (seconds) => (current += seconds * 1000) };
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const dir = await createTempDir('tollgate-tokens-');
  let handler: RequestListener = () => {};
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const issuer = url;

  const clock = createTestClock();
  const store = createSqliteEventStore({ file: dir.file('events.sqlite') });
  // As the server wires it: refresh-token families through the aggregate state cache.
  const commandDeps: CommandDeps = { store, handler: createCommandHandler(store, { stateCache: createServerStateCache() }) };
  const settings = {
    issuer,
    accessTokenTtl: 3600,
    refreshTokenTtl: 2592000,
    refreshTokens: true,
    loginFailureLimit: 3,
    loginLockout: { waitSeconds: 60, maxWaitSeconds: 900, failureResetSeconds: 43200 },
    tokenEventRetention: 90 * 86400,
    ...options.settings,
  };
  const keys = await loadOrCreateKeys({
    dir: options.keysDir ?? dir.file('keys'),
    production: options.production ?? false,
    now: clock.now,
  });
  const cache = createStateCache({ store, accessTokenTtlSeconds: settings.accessTokenTtl, refreshTokenTtlSeconds: settings.refreshTokenTtl, now: clock.now });
  await cache.start();
  const catalog = createApiCatalog((options.catalogEntries ?? defaultApiEntries)(issuer), issuer);
  const service = createTokenService({ store, cache, keys, catalog, settings, now: clock.now });
  const router = createTokenRouter({
    service,
    corsAllowedOrigins: options.corsAllowedOrigins,
    bodyLimit: options.bodyLimit,
  });
  const app = new Koa();
  app.use(router.routes());
  app.use(router.allowedMethods());
  handler = app.callback();

  return {
    url,
    issuer,
    store,
    commandDeps,
    cache,
    keys,
    service,
    clock,
    dir,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await service.deps.loginAttempts.idle();
      await cache.stop();
      await store.close();
      await dir.remove();
    },
  };
}
