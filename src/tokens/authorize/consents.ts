import {
  consentDecider,
  type ConsentState,
  type GrantConsent,
  type RecordConsentTokens,
  type RevokeConsent,
} from '../../domain/authorization/consentDecider.js';
import { isDomainError } from '../../domain/shared/domainError.js';
import type { CommandMetadata } from '../../domain/shared/event.js';
import { toConsentStreamName } from '../../domain/shared/streamNames.js';
import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { foldEvents } from '../../commands/aggregateStream.js';
import type { RequestInfo } from '../requestInfo.js';
import { revokeRefreshTokenFamily } from '../revocation.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';

/** A user's consents, folded from their stream. */
export async function loadConsents(deps: Pick<TokenServiceDeps, 'store'>, userId: string): Promise<ConsentState> {
  const events = await deps.store.readStream(toConsentStreamName(userId));
  return foldEvents(events, consentDecider.evolve, consentDecider.initialState()).state;
}

export async function grantConsent(
  deps: Pick<TokenServiceDeps, 'commands'>,
  input: { userId: string; application: ExistingApplication; scopes: string[]; automatic: boolean },
  metadata: CommandMetadata,
): Promise<void> {
  await deps.commands.handle(consentDecider, toConsentStreamName(input.userId), {
    type: 'GrantConsent',
    data: { userId: input.userId, applicationId: input.application.applicationId, scopes: input.scopes, automatic: input.automatic },
    metadata,
  } satisfies GrantConsent);
}

/** Links a refresh-token family to the consent it came through; false when there is none any more. */
export async function recordConsentTokens(
  deps: Pick<TokenServiceDeps, 'commands'>,
  input: { userId: string; applicationId: string; familyId: string },
  metadata: CommandMetadata,
): Promise<boolean> {
  try {
    await deps.commands.handle(consentDecider, toConsentStreamName(input.userId), {
      type: 'RecordConsentTokens',
      data: input,
      metadata,
    } satisfies RecordConsentTokens);
    return true;
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return false;
    throw error;
  }
}

/**
 * Revokes a consent and ends the refresh-token families issued through it (with their access
 * tokens), in force on this node when it returns. NOT_FOUND when there is no such consent.
 */
export async function revokeConsent(
  deps: TokenServiceDeps,
  input: { userId: string; applicationId: string },
  metadata: CommandMetadata,
  request: RequestInfo,
): Promise<void> {
  const result = await deps.commands.handle(consentDecider, toConsentStreamName(input.userId), {
    type: 'RevokeConsent',
    data: input,
    metadata,
  } satisfies RevokeConsent);
  const application = deps.cache.application(input.applicationId);
  if (!application) return;
  for (const event of result.events) {
    if (event.type !== 'ConsentRevoked') continue;
    for (const familyId of (event.data as { familyIds: string[] }).familyIds) {
      await revokeRefreshTokenFamily(deps, { familyId, application, request, now: metadata.now }).catch((error: unknown) => {
        if (!(isDomainError(error) && error.code === 'NOT_FOUND')) throw error;
      });
    }
  }
}
