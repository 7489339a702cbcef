import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { createEventStore } from '../eventStore/createEventStore.js';
import { exposedDataWarnings } from '../security/privateFiles.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { createCommandHandler } from '../commands/commandHandler.js';
import { createServerStateCache } from '../commands/aggregateStateCache.js';
import type { CommandDeps } from '../commands/commandDeps.js';
import { bootstrapFirstStart, formatBootstrapReport, type BootstrapReport } from '../bootstrap/firstStart.js';
import { createReloadingKeyRing } from '../keys/reloadingKeyRing.js';
import { loadApiCatalog } from '../apiCatalog/apiCatalog.js';
import { createStateCache, type StateCache } from '../tokens/stateCache.js';
import { createTokenService } from '../tokens/tokenService.js';
import { createTokenRouter } from '../tokens/tokenRouter.js';
import { BearerAuthError } from '../tokens/bearerAuth.js';
import { createAdminRouter } from '../admin/adminRouter.js';
import { HttpProblem } from '../http/problem.js';
import { createHealthRouter, statusReport } from '../http/healthRouter.js';
import { ensureConsoleClient } from '../bootstrap/consoleClient.js';
import { createConsoleRouter } from '../console/consoleRouter.js';
import type { NotificationJobPayload } from '../../workers/notificationJob.js';
import type { FailedJob } from '../../workers/queue/jobQueue.js';
import { createConsoleDeps } from '../console/createConsoleDeps.js';
import { createReadModel } from '../../projections/index.js';
import { createProjectionRunner, type ProjectionRunner } from '../../projections/projectionRunner.js';
import { createLastUsedProjection } from '../../projections/lastUsedProjection.js';
import { createProjections } from '../../projections/projections.js';
import type { ReadModel } from '../../projections/readModel.js';
import { createWorkerAdapters } from '../../workers/workerEnvironment.js';
import { startNotificationWorker, type NotificationWorker } from '../../workers/startNotificationWorker.js';
import { createNotificationJobs } from './notificationJobs.js';
import { createSessionRecords } from '../console/session/createSessionRecords.js';
import { registerNotificationRoutes } from './notificationRoutes.js';
import { createHttpApp } from './httpApp.js';
import { createTokenRateLimits } from '../rateLimit/index.js';
import { corsPolicy } from '../tokens/http/cors.js';
import { createOAuthPostEndpoints } from '../tokens/http/oauthPostEndpoints.js';
import { createOpenApiRouter } from './openApiRouter.js';
import { answerClientErrors } from './clientErrors.js';
import { listRoutes, type RouteEntry } from './routeList.js';
import { createAuditReader } from '../audit/createAuditReader.js';
import type { AuditReader } from '../audit/auditReader.js';

export interface Tollgate {
  readonly url: string;
  readonly server: Server;
  readonly store: EventStore;
  readonly readModel: ReadModel;
  readonly projections: ProjectionRunner;
  readonly cache: StateCache;
  /** History pages and exports (on the low-priority reader thread for the SQLite file store). */
  readonly audit: AuditReader;
  readonly worker: NotificationWorker | undefined;
  readonly bootstrap: BootstrapReport | null;
  /** Every (method, path) the server answers (checked against the OpenAPI document). */
  readonly routes: RouteEntry[];
  /** Stops accepting, lets in-flight requests finish, flushes and closes everything. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Injectable clock for tests (token expiry, asOf). */
  now?: () => Date;
  /** Print the first-start banner (default true). */
  printBootstrap?: boolean;
  /** Run the notification worker in this process (default: NOTIFICATIONS_IN_PROCESS). */
  runWorker?: boolean;
  /** How often KEYS_DIR is checked for rotated keys (default 10 s). */
  keysReloadIntervalMs?: number;
}

/** Builds every part from configuration and starts serving (the composition root). */
export async function startTollgate(config: Config, logger: Logger, options: StartOptions = {}): Promise<Tollgate> {
  const now = options.now ?? (() => new Date());
  const store = await createEventStore({ eventStoreUrl: config.eventStoreUrl, poolSize: config.eventStorePoolSize, dataDir: config.dataDir });
  if (!config.eventStoreUrl) for (const warning of exposedDataWarnings(config.dataDir)) logger.warn({ dataDir: config.dataDir }, warning);
  const stops: Array<() => Promise<void>> = [() => store.close()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
    }
  };
  try {
    // A rotation loads only what was appended to its family since the cached state.
    const commands: CommandDeps = {
      store,
      handler: createCommandHandler(store, { stateCache: createServerStateCache() }),
      tokenTtlLimits: { accessTokenTtl: config.accessTokenTtl, refreshTokenTtl: config.refreshTokenTtl },
    };
    const bootstrap = await bootstrapFirstStart(
      commands,
      {
        adminUsername: config.admin.username,
        adminPassword: config.admin.password,
        adminEmail: config.admin.email,
        clientId: config.bootstrapClient.clientId,
        clientSecret: config.bootstrapClient.clientSecret,
      },
      now,
    );
    if (bootstrap && options.printBootstrap !== false) process.stdout.write(formatBootstrapReport(bootstrap, config.issuer));
    await ensureConsoleClient(commands, now);

    const keys = await createReloadingKeyRing({
      dir: config.keysDir,
      production: config.production,
      alg: config.signingAlg,
      now,
      intervalMs: options.keysReloadIntervalMs,
      onReload: (ring) => logger.info({ kid: ring.signingKey?.kid, available: ring.status.available }, 'signing keys reloaded'),
      onError: (error) => logger.error({ err: { message: error.message } }, 'signing keys could not be reloaded'),
    });
    stops.push(async () => keys.stop());
    for (const warning of keys.status.warnings) logger.warn({ keysDir: config.keysDir }, warning);
    const catalog = loadApiCatalog({ file: config.apiCatalogFile, issuer: config.issuer });

    const cache = createStateCache({
      store,
      accessTokenTtlSeconds: config.accessTokenTtl,
      refreshTokenTtlSeconds: config.refreshTokenTtl,
      now,
      onError: (error) => logger.error({ err: error }, 'token state cache subscription failed'),
    });
    await cache.start();
    stops.push(() => cache.stop());
    const rateLimits = createTokenRateLimits(
      { ...config.rateLimit, redisUrl: config.redisUrl },
      { onError: (error) => logger.warn({ err: { message: error.message } }, 'rate limiter unavailable; admitting requests') },
    );
    stops.push(() => rateLimits.close());
    // Last-used times: this process's tokens are reported in process; only a store several
    // nodes share is also read for them (lastUsedProjection.ts). One process issues the
    // tokens of an embedded SQLite file.
    const lastUsed = createLastUsedProjection(store.kind === 'sqlite' ? { tokensFrom: 'thisProcess', store } : {});
    const tokens = createTokenService({
      store,
      onTokenIssued: (applicationId, occurredAt, previousSecret) => lastUsed.recordIssued(applicationId, occurredAt, previousSecret),
      cache,
      keys,
      catalog,
      commands: commands.handler,
      now,
      signingThreads: config.signingThreads,
      settings: {
        issuer: config.issuer,
        accessTokenTtl: config.accessTokenTtl,
        refreshTokenTtl: config.refreshTokenTtl,
        authorizationCodeTtl: config.authorizationCodeTtl,
        refreshTokens: config.refreshTokens,
        loginFailureLimit: config.loginFailureLimit,
        loginLockout: config.loginLockout,
        tokenEventRetention: config.tokenEventRetention,
      },
      ...(rateLimits.admitClient ? { admitClient: rateLimits.admitClient } : {}),
      onBackgroundError: (error) => logger.error({ err: { message: error.message } }, 'a sign-in could not be recorded'),
    });
    stops.push(async () => {
      await tokens.deps.loginAttempts.idle();
      await tokens.deps.signer.close();
    });

    const readModel = await createReadModel({ mongoUrl: config.mongoUrl });
    stops.push(() => readModel.close());
    const projections = createProjectionRunner({
      store,
      readModel,
      projections: createProjections(lastUsed),
      onError: (error) => logger.error({ err: error }, 'projection runner error'),
    });
    await projections.start();
    stops.push(() => projections.stop());

    const adapters = createWorkerAdapters({ dataDir: config.dataDir, redisUrl: config.redisUrl, smtpUrl: config.smtpUrl, log: logger });
    const worker =
      (options.runWorker ?? config.notificationsInProcess) === false
        ? undefined
        : await startNotificationWorker({ store, ...adapters, mailFrom: config.mailFrom, issuer: config.issuer, log: logger });
    if (worker) stops.push(() => worker.stop());
    else {
      // No worker here, but the queue still serves /admin/status and the notification routes;
      // its Redis connections (and the checkpoint store's) must be closed at stop, or they
      // keep reconnecting and the process never exits.
      stops.push(async () => {
        await adapters.queue.stop();
        await adapters.mailer.close();
        await adapters.checkpoints.close();
      });
    }

    // History reads: client ids resolve through the state cache, wherever the reads run.
    const applicationIdOfClient = async (clientId: string) => (await cache.findApplicationByClientId(clientId))?.applicationId ?? null;
    const audit = createAuditReader(store, applicationIdOfClient, {
      startNow: config.nodeEnv !== 'test',
      onNotice: (message) => logger.warn(message),
    });
    stops.push(() => audit.close());
    const adminDeps = {
      store,
      audit,
      commands,
      readModel,
      catalog,
      now,
      issuer: config.issuer,
      async authenticate(token: string) {
        try {
          return await tokens.authenticateBearer(`Bearer ${token}`);
        } catch (error) {
          if (error instanceof BearerAuthError) {
            throw new HttpProblem(error.status, error.message, undefined, { 'WWW-Authenticate': error.wwwAuthenticate });
          }
          throw error;
        }
      },
      afterWrite: (events: Parameters<StateCache['applyAppended']>[0]) => cache.applyAppended(events),
      awaitReadModel: (position: number) => projections.waitForPosition(position, config.readYourWritesTimeoutMs),
      applicationIdOfClient,
    };
    // The OAuth POST endpoints (the token endpoint is the hot path) are answered before Koa.
    const oauthPosts = createOAuthPostEndpoints({
      service: tokens,
      cors: corsPolicy({ allowedOrigins: config.corsAllowedOrigins }),
      logger,
      trustProxyHops: config.trustProxyHops,
      ...(rateLimits.admitIp ? { admitIp: rateLimits.admitIp } : {}),
    });
    let pendingCounts: Promise<{ failed: number; waiting: number; problems: string[] }> | undefined;
    const healthSources = {
      keys: () => keys.status,
      // One count at a time: while Redis is down, BullMQ holds each call until it is back, and
      // every console page asks (its banner), so calls in the meantime share the pending one.
      notifications: () =>
        (pendingCounts ??= adapters.queue
          .counts()
          .then((counts) => ({ failed: counts.failed, waiting: counts.waiting, problems: [] as string[] }))
          .finally(() => (pendingCounts = undefined))),
    };
    const notificationJobs = createNotificationJobs({ store, queue: adapters.queue, logger });
    const sessionRecords = createSessionRecords(config);
    stops.push(() => sessionRecords.close());
    // The console serves HTML pages, not API: it is not in the route list the OpenAPI document covers.
    const consoleRouter = createConsoleRouter(
      createConsoleDeps(adminDeps, tokens, catalog, config, {
        warnings: async () => (await statusReport(healthSources)).warnings,
        notificationJobs,
        sessionRecords,
        logger,
        ...(rateLimits.admitIp ? { admitIp: rateLimits.admitIp } : {}),
      }),
    );
    const routers: Router[] = [
      createHealthRouter({
        storeKind: store.kind,
        readModelKind: readModel.kind,
        queueKind: adapters.queue.kind,
        mailKind: adapters.mailer.kind,
        pingStore: () => store.ping(),
        pingReadModel: () => readModel.ping(),
        projectionLag: () => projections.lag(),
        readModelLag: (limit) => projections.readinessLag(limit),
        readiness: config.readiness,
        now,
        tokenStateCaughtUp: () => cache.caughtUpOnce,
        ...healthSources,
      }),
      createTokenRouter({ service: tokens, corsAllowedOrigins: config.corsAllowedOrigins, logger, postEndpoints: oauthPosts }),
      createAdminRouter(adminDeps, [(router, deps) => registerNotificationRoutes(router, deps, notificationJobs)]),
      createOpenApiRouter(config.issuer),
    ];
    const app = createHttpApp({ logger, routers: [consoleRouter, ...routers], trustProxyHops: config.trustProxyHops });
    const koa = app.callback();
    const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000 }, (req, res) => {
      const endpoint = oauthPosts.match(req);
      if (endpoint) void oauthPosts.handle(req, res, endpoint);
      else void koa(req, res);
    });
    server.keepAliveTimeout = 5_000;
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    logger.info({ url, eventStore: store.kind, readModel: readModel.kind, queue: adapters.queue.kind, mail: adapters.mailer.kind }, 'Tollgate listening');

    let stopping: Promise<void> | undefined;
    return {
      url,
      server,
      store,
      readModel,
      projections,
      cache,
      audit,
      worker,
      bootstrap,
      // Every route answered, the console's HTML pages included (tests exclude them where only the API counts).
      routes: listRoutes([consoleRouter, ...routers]),
      stop() {
        stopping ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await stopAll();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
