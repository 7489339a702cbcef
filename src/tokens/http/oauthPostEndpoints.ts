import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../http/securityHeaders.js';
import { correlationIdFrom } from '../../http/requestContext.js';
import type { Logger } from '../../logging/logger.js';
import { rateLimitedError } from '../../rateLimit/rateLimitedError.js';
import type { RateDecision } from '../../rateLimit/slidingWindow.js';
import { introspect } from '../introspection.js';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from '../metadata.js';
import { TemporarilyUnavailable } from '../oauthErrors.js';
import type { RequestInfo } from '../requestInfo.js';
import { revoke } from '../revocation.js';
import { handleTokenRequest } from '../tokenEndpoint.js';
import type { TokenService } from '../tokenService.js';
import type { CorsPolicy } from './cors.js';
import { requestClientAddress } from '../../http/clientAddress.js';
import { oauthErrorReply, type ErrorLogger } from './oauthErrorResponse.js';
import { OAUTH_BODY_LIMIT, readOAuthParams, type OAuthParams } from './readOAuthParams.js';

/**
 * POST /oauth2-token, /oauth2-token/introspect and /oauth2-token/revoke on Node's request and
 * response, without Koa: the token endpoint is the hot path, and Koa's context objects, the
 * middleware chain and matching the request against every router's routes cost as much main-
 * thread time as the rest of issuing a token (BENCHMARKS.md). The server hands these requests
 * here directly; the Koa routes for the same paths delegate here too (they remain for OPTIONS,
 * 405 answers and the route list), so there is one implementation.
 *
 * Per request, as the Koa chain did: the security headers and `X-Correlation-Id`, the per-IP
 * rate limit before the body is read, CORS, the 503 without signing keys, the body (form or
 * JSON, bounded), `Cache-Control: no-store`, RFC 6749 errors, and a debug access-log line.
 */
export type OAuthPostEndpoint = 'token' | 'introspection' | 'revocation';

const ENDPOINTS: ReadonlyMap<string, OAuthPostEndpoint> = new Map([
  [TOKEN_PATH, 'token'],
  [INTROSPECTION_PATH, 'introspection'],
  [REVOCATION_PATH, 'revocation'],
]);

export interface OAuthPostEndpointsOptions {
  service: TokenService;
  cors: CorsPolicy;
  bodyLimit?: number;
  logger?: ErrorLogger & Partial<Pick<Logger, 'isLevelEnabled' | 'debug'>>;
  /** The per-IP limit, on the client's address (src/http/clientAddress.ts). */
  admitIp?: (ip: string) => RateDecision | Promise<RateDecision>;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For entries are believed (0: none). */
  trustProxyHops?: number;
}

export interface OAuthPostEndpoints {
  /** The endpoint a request is for when it is a POST to one of the exact paths (query ignored). */
  match(req: IncomingMessage): OAuthPostEndpoint | undefined;
  /** Answers the request; never rejects (every failure is an RFC 6749 error response). */
  handle(req: IncomingMessage, res: ServerResponse, endpoint: OAuthPostEndpoint): Promise<void>;
}

/**
 * Response headers as a flat list (name, value, name, value, …): `writeHead` does less work per
 * header with such a list than with an object built by spreading (12–14 µs less per response
 * for these 11 headers: `npx tsx bench/floorProbe.ts --modes http --headers object,list`,
 * BENCHMARKS.md "Ninth round"). The parts never share a name: security headers, CORS, the
 * correlation id, then caching or the error's own headers.
 */
type HeaderList = string[];
const SECURITY_HEADER_LIST: readonly string[] = Object.entries(SECURITY_HEADERS).flat();
const NO_STORE: readonly string[] = ['Cache-Control', 'no-store', 'Pragma', 'no-cache'];
const withHeaders = (list: HeaderList, headers: Readonly<Record<string, string>>): HeaderList => {
  for (const name in headers) list.push(name, headers[name]!);
  return list;
};

export function createOAuthPostEndpoints(options: OAuthPostEndpointsOptions): OAuthPostEndpoints {
  const { service, cors, logger, admitIp } = options;
  const trustProxyHops = options.trustProxyHops ?? 0;
  const { deps } = service;
  const limit = options.bodyLimit ?? OAUTH_BODY_LIMIT;

  const answer = async (
    endpoint: OAuthPostEndpoint,
    params: OAuthParams,
    authorization: string | undefined,
    request: RequestInfo,
  ): Promise<string> => {
    switch (endpoint) {
      case 'token':
        return JSON.stringify(await handleTokenRequest(deps, { params, authorization, request }));
      case 'introspection':
        return JSON.stringify(await introspect(deps, { params, authorization }));
      case 'revocation':
        await revoke(deps, { params, authorization, request });
        return '';
    }
  };

  return {
    match(req) {
      if (req.method !== 'POST') return undefined;
      const url = req.url ?? '';
      const query = url.indexOf('?');
      return ENDPOINTS.get(query === -1 ? url : url.slice(0, query));
    },

    async handle(req, res, endpoint) {
      const started = process.hrtime.bigint();
      // Behind the Koa route, the correlation middleware has already chosen the id.
      const chosen = res.getHeader('X-Correlation-Id');
      const correlationId = typeof chosen === 'string' ? chosen : correlationIdFrom(req.headers['x-correlation-id']);
      const headers = withHeaders([], cors.responseHeaders(req.headers.origin ?? ''));
      headers.push('X-Correlation-Id', correlationId);
      const ip = requestClientAddress(req, trustProxyHops);
      let status = 200;
      let body: string;
      try {
        if (admitIp) {
          const admitted = admitIp(ip);
          const decision = admitted instanceof Promise ? await admitted : admitted;
          if (!decision.allowed) throw rateLimitedError(decision.retryAfterSeconds);
        }
        if (!deps.keys.signingKey) throw new TemporarilyUnavailable();
        const params = await readOAuthParams(req, limit);
        const userAgent = req.headers['user-agent'];
        const request: RequestInfo = { correlationId, ...(ip ? { ip } : {}), ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) };
        body = await answer(endpoint, params, req.headers.authorization || undefined, request);
        headers.push(...NO_STORE);
      } catch (error) {
        const reply = oauthErrorReply(error, logger, correlationId);
        status = reply.status;
        withHeaders(headers, reply.headers);
        body = JSON.stringify(reply.body);
      }
      try {
        send(res, status, headers, body);
        if (logger?.isLevelEnabled?.('debug')) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          logger.debug?.({ method: 'POST', path: req.url?.split('?')[0], status, ms, correlationId }, 'request');
        }
      } catch (error) {
        // Nothing can be answered any more (e.g. the socket is gone): never an unhandled rejection.
        logger?.warn({ err: { message: (error as Error).message }, correlationId }, 'OAuth endpoint: response not sent');
        res.destroy();
      }
    },
  };
}

function send(res: ServerResponse, status: number, headers: HeaderList, body: string): void {
  if (res.headersSent || res.destroyed) return;
  // Behind the Koa route, headers already set on `res` are replaced by these (writeHead).
  const all = [...SECURITY_HEADER_LIST, ...headers, 'Content-Length', String(Buffer.byteLength(body))];
  if (body !== '') all.push('Content-Type', 'application/json; charset=utf-8');
  res.writeHead(status, all);
  res.end(body);
}
