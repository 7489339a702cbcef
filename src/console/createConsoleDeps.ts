import type { AdminDeps } from '../admin/adminDeps.js';
import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { Config } from '../config/config.js';
import { clientCredentialsGrant } from '../tokens/grants/clientCredentialsGrant.js';
import type { TokenService } from '../tokens/tokenService.js';
import type { ConsoleDeps } from './consoleDeps.js';
import { createSignInCsrf, sharedSignInCsrfKey } from './csrf.js';
import { createConsoleAuthority } from './session/consoleAuthority.js';
import { createSessionStore } from './session/sessionStore.js';
import { createSealedSessions } from './session/sealedSessions.js';
import type { SessionRecords } from './session/sessionRecords.js';
import { derivedKeysOf } from '../keys/derivedKey.js';
import { createAuthorizeSessionStore } from './session/authorizeSessionStore.js';
import { loadViews } from './views.js';
import { createPendingAuthorizations } from '../tokens/authorize/pendingAuthorizations.js';

/** Assembles the console from the admin API's parts and the token service (composition root). */
export function createConsoleDeps(
  admin: AdminDeps,
  tokens: TokenService,
  catalog: ApiCatalog,
  config: Pick<Config, 'issuer' | 'consoleSession'>,
  extra: Pick<ConsoleDeps, 'warnings' | 'notificationJobs' | 'admitIp' | 'logger'> & { sessionRecords: SessionRecords },
): ConsoleDeps {
  // Sealed with a key the nodes share (derived from the signing key): any node opens them.
  const sealed = createSealedSessions(extra.sessionRecords, derivedKeysOf(() => tokens.deps.keys, 'tollgate console sessions'));
  const sessions = createSessionStore(config.consoleSession, sealed);
  return {
    ...admin,
    sessions,
    authority: createConsoleAuthority({ tokens: tokens.deps, authenticateBearer: tokens.authenticateBearer, sessions }),
    signInCsrf: createSignInCsrf(sharedSignInCsrfKey(() => tokens.deps.keys)),
    render: loadViews(),
    catalog,
    warnings: extra.warnings,
    notificationJobs: extra.notificationJobs,
    ...(extra.logger && { logger: extra.logger }),
    ...(extra.admitIp && { admitIp: extra.admitIp }),
    secureCookies: config.issuer.startsWith('https:'),
    tokens: tokens.deps,
    // Signed with the token signing key (KEYS_DIR, shared by the nodes): any node takes them.
    authorizations: createPendingAuthorizations({ keys: () => tokens.deps.keys, issuer: config.issuer, commands: tokens.deps.commands }),
    authorizeSessions: createAuthorizeSessionStore(sealed),
    async temporaryAccessToken(clientId, request) {
      // Oro's "Temporary access token": a client-credentials token issued at once, in process.
      const application = await tokens.deps.cache.findApplicationByClientId(clientId);
      if (!application || application.status !== 'Active' || !tokens.deps.keys.signingKey) return undefined;
      const response = await clientCredentialsGrant(tokens.deps, {
        params: { grant_type: 'client_credentials' },
        application,
        request,
        now: tokens.deps.now(),
      });
      return response.access_token;
    },
  };
}
