import type { AdminDeps } from '../admin/adminDeps.js';
import type { ConsoleAuthority } from './session/consoleAuthority.js';
import type { SessionStore } from './session/sessionStore.js';
import type { AuthorizeSessionStore } from './session/authorizeSessionStore.js';
import type { AdmitIp } from './signInRateLimit.js';
import type { SignInCsrf } from './csrf.js';
import type { Render } from './views.js';
import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { RequestInfo } from '../tokens/requestInfo.js';
import type { NotificationJobs } from '../app/notificationJobs.js';
import type { Logger } from '../logging/logger.js';
import type { TokenServiceDeps } from '../tokens/tokenServiceDeps.js';
import type { PendingAuthorizations } from '../tokens/authorize/pendingAuthorizations.js';

/** What the console needs: the admin API's parts (same services, rules, read model) and its own. */
export interface ConsoleDeps extends AdminDeps {
  sessions: SessionStore;
  authority: ConsoleAuthority;
  signInCsrf: SignInCsrf;
  render: Render;
  catalog: ApiCatalog;
  /** The /admin/status warnings. */
  warnings(): Promise<string[]>;
  /** The notification jobs that failed for good, and their retry (the admin API's /admin/notification-jobs). */
  notificationJobs: Pick<NotificationJobs, 'failed' | 'retry'>;
  /** Cookies get `Secure` when the issuer is https. */
  secureCookies: boolean;
  /** A temporary access token for a fresh client-credentials application (Oro's create page). */
  temporaryAccessToken(clientId: string, request: RequestInfo): Promise<string | undefined>;
  /** The token service (authorization endpoint: codes, consents, the subject check). */
  tokens: TokenServiceDeps;
  /** Authorization requests waiting for sign-in or consent. */
  authorizations: PendingAuthorizations;
  /** Storefront users' authorize-only sign-ins (no console session). */
  authorizeSessions: AuthorizeSessionStore;
  /** For what the console cannot show on a page (a session write-back that failed after the answer). */
  logger?: Logger;
  /** The OAuth endpoints' per-IP limiter (RATE_LIMIT_PER_IP), for the authorize and sign-in pages; absent when off. */
  admitIp?: AdmitIp;
}
