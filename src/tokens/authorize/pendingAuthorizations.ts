import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { authorizationRequestDecider, type TakeAuthorizationRequest } from '../../domain/authorization/authorizationRequestDecider.js';
import { isDomainError } from '../../domain/shared/domainError.js';
import type { CommandMetadata } from '../../domain/shared/event.js';
import { toAuthorizationRequestStreamName } from '../../domain/shared/streamNames.js';
import type { KeyRing } from '../../keys/keyRing.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';
import type { AuthorizationRequest } from './authorizationRequest.js';

/**
 * Authorization requests waiting for sign-in or consent, on any node. The validated request
 * (client, redirect URI, PKCE challenge, scopes, state, expiry) travels with the browser as a
 * JWT signed with the token signing key (KEYS_DIR, shared by every node and reloaded by each),
 * `typ: tollgate-authz-request+jwt` and audience the authorization endpoint, so it can never
 * pass for an access token nor be changed by the browser (no open redirect through the
 * sign-in page): a node that never saw the request verifies it with the published keys.
 * Nothing in it is secret — it is what the client put in the URL.
 *
 * A request lives `ttlSeconds` (default 600) and is taken once: `take` appends
 * AuthorizationRequestTaken to `authorizationRequest-<requestId>` at the revision it read
 * (the command handler: a conflicting append is decided again and refused), so of two takes of one request, on any nodes, exactly one succeeds. The caller re-validates
 * the application (still active, still an authorization_code client, the redirect URI still
 * registered) before it acts on a request.
 */
export interface PendingAuthorization extends Omit<AuthorizationRequest, 'application'> {
  requestId: string;
  applicationId: string;
  clientId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface PendingAuthorizations {
  /** The request as the id the browser carries (undefined without a signing key). */
  put(request: AuthorizationRequest, now: number): Promise<string | undefined>;
  get(id: string | undefined, now: number): Promise<PendingAuthorization | undefined>;
  /** Verifies and takes it (single use, on any node); undefined when invalid, expired or taken before. */
  take(id: string | undefined, now: number, metadata: CommandMetadata): Promise<PendingAuthorization | undefined>;
}

const TYP = 'tollgate-authz-request+jwt';
/** Generous for a JWT of a request whose state and scope are at most 4096 characters each. */
const MAX_ID_LENGTH = 16_384;
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface Claims {
  cid: string;
  app: string;
  ru: string;
  rug: boolean;
  st?: string;
  cc: string;
  sc: string[];
}

export function createPendingAuthorizations(options: {
  keys: () => KeyRing;
  issuer: string;
  commands: TokenServiceDeps['commands'];
  ttlSeconds?: number;
}): PendingAuthorizations {
  const ttl = options.ttlSeconds ?? 600;
  const audience = `${options.issuer.replace(/\/+$/, '')}/oauth2-token/authorize`;

  const get = async (id: string | undefined, now: number): Promise<PendingAuthorization | undefined> => {
    if (typeof id !== 'string' || id.length > MAX_ID_LENGTH || !SHAPE.test(id)) return undefined;
    try {
      const keys = options.keys();
      const key = keys.verificationKey(decodeProtectedHeader(id).kid);
      if (!key) return undefined;
      const { payload } = await jwtVerify<Claims>(id, key.publicKey, {
        issuer: options.issuer,
        audience,
        typ: TYP,
        algorithms: [key.alg],
        currentDate: new Date(now),
        clockTolerance: 0,
      });
      if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return undefined;
      return {
        requestId: payload.jti,
        applicationId: payload.app,
        clientId: payload.cid,
        redirectUri: payload.ru,
        redirectUriGiven: payload.rug,
        state: payload.st,
        codeChallenge: payload.cc,
        scopes: payload.sc,
        expiresAt: payload.exp * 1000,
      };
    } catch {
      return undefined; // bad signature, expired, another typ or audience, a malformed token
    }
  };

  return {
    async put(request, now) {
      const signingKey = options.keys().signingKey;
      if (!signingKey) return undefined;
      const claims: Claims = {
        cid: request.application.clientId,
        app: request.application.applicationId,
        ru: request.redirectUri,
        rug: request.redirectUriGiven,
        ...(request.state !== undefined && { st: request.state }),
        cc: request.codeChallenge,
        sc: request.scopes,
      };
      const seconds = Math.floor(now / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: TYP })
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setJti(randomUUID())
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + ttl)
        .sign(signingKey.privateKey);
    },
    get,
    async take(id, now, metadata) {
      const found = await get(id, now);
      if (!found) return undefined;
      try {
        await options.commands.handle(authorizationRequestDecider, toAuthorizationRequestStreamName(found.requestId), {
          type: 'TakeAuthorizationRequest',
          data: { requestId: found.requestId, applicationId: found.applicationId },
          metadata,
        } satisfies TakeAuthorizationRequest);
      } catch (error) {
        if (isDomainError(error)) return undefined;
        throw error;
      }
      return found;
    },
  };
}
