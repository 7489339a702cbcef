import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { corsMiddleware } from './http/cors.js';
import { writeOAuthError, type ErrorLogger } from './http/oauthErrorResponse.js';
import { readOAuthParams, OAUTH_BODY_LIMIT } from './http/readOAuthParams.js';
import { introspect } from './introspection.js';
import { INTROSPECTION_PATH, JWKS_PATH, METADATA_PATH, REVOCATION_PATH, TOKEN_PATH } from './metadata.js';
import { TemporarilyUnavailable } from './oauthErrors.js';
import type { RequestInfo } from './requestInfo.js';
import { revoke } from './revocation.js';
import { handleTokenRequest } from './tokenEndpoint.js';
import type { TokenService } from './tokenService.js';

/**
 * The OAuth HTTP surface: token, introspection, revocation, JWKS and RFC 8414 metadata, with
 * CORS. These endpoints own their body parsing and their error format (RFC 6749), so nothing
 * reaches the app's problem+json handler. Without signing keys (production) the POST
 * endpoints answer 503 temporarily_unavailable.
 */
export interface TokenRouterOptions {
  service: TokenService;
  corsAllowedOrigins?: readonly string[];
  bodyLimit?: number;
  logger?: ErrorLogger;
}

const noStore = (ctx: Context): void => {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
};

export const requestInfo = (ctx: Context): RequestInfo => {
  const userAgent = ctx.get('user-agent');
  const correlationId = ctx.state.correlationId;
  return {
    correlationId: typeof correlationId === 'string' ? correlationId : randomUUID(),
    ...(ctx.ip ? { ip: ctx.ip } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
};

export function createTokenRouter(options: TokenRouterOptions): Router {
  const { service, logger } = options;
  const { deps } = service;
  const limit = options.bodyLimit ?? OAUTH_BODY_LIMIT;
  const router = new Router();
  const cors = { allowedOrigins: options.corsAllowedOrigins ?? [] };
  const postCors = corsMiddleware(cors, 'POST, OPTIONS');
  const getCors = corsMiddleware(cors, 'GET, OPTIONS');
  const metadataJson = JSON.stringify(service.metadata);
  // Serialized once per key ring (a rotation swaps the ring's JWKS object).
  let jwksCache: { jwks: object; json: string } | undefined;
  const jwksJson = (): string => {
    const jwks = deps.keys.jwks;
    if (jwksCache?.jwks !== jwks) jwksCache = { jwks, json: JSON.stringify(jwks) };
    return jwksCache.json;
  };
  const authorization = (ctx: Context): string | undefined => ctx.get('authorization') || undefined;

  const oauthPost =
    (handle: (ctx: Context) => Promise<void>) =>
    async (ctx: Context): Promise<void> => {
      try {
        if (!deps.keys.signingKey) throw new TemporarilyUnavailable();
        await handle(ctx);
      } catch (error) {
        writeOAuthError(ctx, error, logger);
      }
    };

  router.post(
    TOKEN_PATH,
    postCors,
    oauthPost(async (ctx) => {
      const params = await readOAuthParams(ctx, limit);
      const body = await handleTokenRequest(deps, { params, authorization: authorization(ctx), request: requestInfo(ctx) });
      noStore(ctx);
      ctx.body = body;
    }),
  );
  router.post(
    INTROSPECTION_PATH,
    postCors,
    oauthPost(async (ctx) => {
      const params = await readOAuthParams(ctx, limit);
      const body = await introspect(deps, { params, authorization: authorization(ctx) });
      noStore(ctx);
      ctx.body = body;
    }),
  );
  router.post(
    REVOCATION_PATH,
    postCors,
    oauthPost(async (ctx) => {
      const params = await readOAuthParams(ctx, limit);
      await revoke(deps, { params, authorization: authorization(ctx), request: requestInfo(ctx) });
      noStore(ctx);
      ctx.status = 200;
      ctx.body = '';
    }),
  );
  const allow = (methods: string) => (ctx: Context) => {
    ctx.set('Allow', methods);
    ctx.status = 204;
  };
  for (const path of [TOKEN_PATH, INTROSPECTION_PATH, REVOCATION_PATH]) router.options(path, postCors, allow('POST, OPTIONS'));

  router.get(JWKS_PATH, getCors, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/jwk-set+json';
    ctx.body = jwksJson();
  });
  router.get(METADATA_PATH, getCors, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json';
    ctx.body = metadataJson;
  });
  for (const path of [JWKS_PATH, METADATA_PATH]) router.options(path, getCors, allow('GET, HEAD, OPTIONS'));
  return router;
}
