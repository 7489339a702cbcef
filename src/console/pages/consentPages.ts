import type { Router } from '@koa/router';
import { DomainError } from '../../domain/shared/domainError.js';
import { loadConsents, revokeConsent } from '../../tokens/authorize/consents.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { consoleMetadata, consoleStateOf, flash, redirect, requestInfoOf } from '../consoleHttp.js';

/** My User → Authorized Applications: the user's own consents (application, when, scopes), each revocable. */
export async function consentRows(deps: ConsoleDeps, userId: string) {
  const { consents } = await loadConsents(deps.tokens, userId);
  return Object.values(consents)
    .map((c) => ({
      applicationId: c.applicationId,
      name: deps.tokens.cache.application(c.applicationId)?.name ?? c.applicationId,
      grantedAt: c.grantedAt,
      scopes: c.scopes.join(' ') || '—',
      automatic: c.automatic,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function registerConsentPages(router: Router, deps: ConsoleDeps): void {
  // Only one's own consents: the user id is the session's, never the URL's.
  router.post('/console/me/consents/:applicationId/revoke', async (ctx) => {
    const { principal } = consoleStateOf(ctx);
    try {
      await revokeConsent(deps.tokens, { userId: principal.userId, applicationId: ctx.params.applicationId! }, consoleMetadata(ctx, deps), requestInfoOf(ctx));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', 'No such grant.');
      throw error;
    }
    flash(ctx, 'success', 'Access revoked.');
    redirect(ctx, '/console/me');
  });
}
