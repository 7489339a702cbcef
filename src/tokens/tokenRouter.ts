import Router from '@koa/router';
import type { Context } from 'koa';
import { corsMiddleware, corsPolicy } from './http/cors.js';
import { createOAuthPostEndpoints, type OAuthPostEndpoints } from './http/oauthPostEndpoints.js';
import type { ErrorLogger } from './http/oauthErrorResponse.js';
import { INTROSPECTION_PATH, JWKS_PATH, METADATA_PATH, REVOCATION_PATH, TOKEN_PATH } from './metadata.js';
import type { TokenService } from './tokenService.js';

/**
 * The OAuth HTTP surface: token, introspection, revocation, JWKS and RFC 8414 metadata, with
 * CORS. The POST endpoints are answered by `oauthPostEndpoints` (Node's request and response,
 * their own body parsing and RFC 6749 errors; the server hands them requests before Koa, and
 * these routes delegate to the same code). Without signing keys (production) they answer 503
 * temporarily_unavailable.
 */
export interface TokenRouterOptions {
  service: TokenService;
  corsAllowedOrigins?: readonly string[];
  bodyLimit?: number;
  logger?: ErrorLogger;
  /** The POST endpoints, when the caller also serves them outside Koa (default: built here). */
  postEndpoints?: OAuthPostEndpoints;
}

export function createTokenRouter(options: TokenRouterOptions): Router {
  const { service } = options;
  const { deps } = service;
  const router = new Router();
  const cors = corsPolicy({ allowedOrigins: options.corsAllowedOrigins ?? [] });
  const postCors = corsMiddleware(cors, 'POST, OPTIONS');
  const getCors = corsMiddleware(cors, 'GET, OPTIONS');
  const posts =
    options.postEndpoints ??
    createOAuthPostEndpoints({ service, cors, ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const metadataJson = JSON.stringify(service.metadata);
  // Serialized once per key ring (a rotation swaps the ring's JWKS object).
  let jwksCache: { jwks: object; json: string } | undefined;
  const jwksJson = (): string => {
    const jwks = deps.keys.jwks;
    if (jwksCache?.jwks !== jwks) jwksCache = { jwks, json: JSON.stringify(jwks) };
    return jwksCache.json;
  };

  for (const [path, endpoint] of [
    [TOKEN_PATH, 'token'],
    [INTROSPECTION_PATH, 'introspection'],
    [REVOCATION_PATH, 'revocation'],
  ] as const) {
    router.post(path, async (ctx) => {
      ctx.respond = false; // answered on ctx.res by the endpoint itself
      await posts.handle(ctx.req, ctx.res, endpoint);
    });
  }
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
