import type { EventStore } from '../eventStore/eventStore.js';
import { createCommandHandler, type CommandHandler } from '../commands/commandHandler.js';
import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { KeyRing } from '../keys/keyRing.js';
import { createAccessTokenSigner } from './accessTokenSigner.js';
import { createAccessTokenVerifier } from './accessTokenVerifier.js';
import { createBearerAuthenticator, type BearerAuthenticator } from './bearerAuth.js';
import { authorizationServerMetadata, type AuthorizationServerMetadata } from './metadata.js';
import type { StateCache } from './stateCache.js';
import { createLoginAttemptRecorder } from './loginAttemptRecorder.js';
import { lockoutPolicyOf } from './passwordSignIn.js';
import { createTokenAudit, type TokenIssuedListener } from './tokenAudit.js';
import { supportedGrants } from './tokenEndpoint.js';
import type { TokenServiceDeps, TokenSettings } from './tokenServiceDeps.js';

/**
 * Assembles the token service once: signer with the imported key, verifier, audit, and the
 * documents that only change with configuration (metadata, JWKS).
 */
export interface TokenServiceOptions {
  store: EventStore;
  cache: StateCache;
  keys: KeyRing;
  catalog: ApiCatalog;
  settings: TokenSettings & { tokenEventRetention: number };
  commands?: CommandHandler;
  /** Injectable clock (tests of expiry). */
  now?: () => Date;
  scopesSupported?: string[];
  /** See TokenServiceDeps.admitClient (the per-client rate limit). */
  admitClient?: (clientId: string) => void | Promise<void>;
  /** Signing threads; 0 or absent: node:crypto's thread pool (SIGNING_THREADS). */
  signingThreads?: number;
  /** Told of each token issued here, once durable (the last-used projection's in-process feed). */
  onTokenIssued?: TokenIssuedListener;
  /** Errors of work done off the response path (sign-in records); logged by the server. */
  onBackgroundError?: (error: Error) => void;
}

export interface TokenService {
  deps: TokenServiceDeps;
  metadata: AuthorizationServerMetadata;
  authenticateBearer: BearerAuthenticator;
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const now = options.now ?? (() => new Date());
  const { settings, keys } = options;
  const commands = options.commands ?? createCommandHandler(options.store);
  const deps: TokenServiceDeps = {
    settings,
    store: options.store,
    commands,
    cache: options.cache,
    keys,
    catalog: options.catalog,
    signer: createAccessTokenSigner({
      issuer: settings.issuer,
      keys,
      ttlSeconds: settings.accessTokenTtl,
      now,
      signingThreads: options.signingThreads,
    }),
    verifyAccessToken: createAccessTokenVerifier({ keys, issuer: settings.issuer, now }),
    audit: createTokenAudit({
      store: options.store,
      retentionSeconds: settings.tokenEventRetention,
      ...(options.onTokenIssued ? { onIssued: options.onTokenIssued } : {}),
    }),
    loginAttempts: createLoginAttemptRecorder({
      commands,
      cache: options.cache,
      policy: () => lockoutPolicyOf(settings),
      onError: options.onBackgroundError ?? ((error) => process.emitWarning(`sign-in record failed: ${error.message}`)),
    }),
    now,
    ...(options.admitClient ? { admitClient: options.admitClient } : {}),
  };
  return {
    deps,
    metadata: authorizationServerMetadata({
      issuer: settings.issuer,
      grants: supportedGrants(deps),
      scopesSupported: options.scopesSupported,
    }),
    authenticateBearer: createBearerAuthenticator(deps),
  };
}
