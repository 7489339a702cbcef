import type { EventStore } from '../eventStore/eventStore.js';
import type { CommandHandler } from '../commands/commandHandler.js';
import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { KeyRing } from '../keys/keyRing.js';
import type { AccessTokenSigner } from './accessTokenSigner.js';
import type { LoginAttemptRecorder } from './loginAttemptRecorder.js';
import type { VerifyAccessToken } from './accessTokenVerifier.js';
import type { StateCache } from './stateCache.js';
import type { TokenAudit } from './tokenAudit.js';

/** Settings of the token service (DESIGN §5). */
export interface TokenSettings {
  issuer: string;
  /** How long an authorization code may be redeemed, seconds (AUTH_CODE_TTL; default 600). */
  authorizationCodeTtl?: number;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshTokens: boolean;
  loginFailureLimit: number;
  /** LOGIN_LOCKOUT_WAIT, LOGIN_LOCKOUT_MAX_WAIT, LOGIN_FAILURE_RESET_AFTER (seconds). */
  loginLockout: { waitSeconds: number; maxWaitSeconds: number; failureResetSeconds: number };
}

/** Everything the grants, introspection and revocation use, assembled once. */
export interface TokenServiceDeps {
  settings: TokenSettings;
  store: EventStore;
  commands: CommandHandler;
  cache: StateCache;
  keys: KeyRing;
  catalog: ApiCatalog;
  signer: AccessTokenSigner;
  verifyAccessToken: VerifyAccessToken;
  audit: TokenAudit;
  /** Sign-in failures and successes, written off the response path. */
  loginAttempts: LoginAttemptRecorder;
  now: () => Date;
  /**
   * Called with the client_id right after a client authenticated at the token, introspection
   * and revocation endpoints; throws (or rejects with) an OAuthError to refuse (rate limit).
   */
  admitClient?: (clientId: string) => void | Promise<void>;
}
