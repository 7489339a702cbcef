import type { ExistingApplication, Grant } from '../domain/application/applicationEvents.js';
import type { RequestInfo } from './requestInfo.js';
import { grantAudiences } from '../authorization/apiAudiencePolicy.js';
import type { SignedAccessToken } from './accessTokenSigner.js';
import { UnauthorizedClient } from './oauthErrors.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';
import { accessTokenTtlOf } from './tokenLifetimes.js';

/**
 * The audiences a grant's tokens carry (src/authorization/apiAudiencePolicy.ts); an
 * application with none gets no token.
 */
export function audiencesOf(
  deps: TokenServiceDeps,
  application: ExistingApplication,
  grant: Grant,
  familyAudiences?: readonly string[],
): string[] {
  const aud = grantAudiences(deps.catalog, application, grant, familyAudiences);
  if (aud.length === 0) throw new UnauthorizedClient('the application may not access any API');
  return aud;
}

/**
 * Signs an access token and appends its TokenIssued, both at once: the claims (jti, exp) are
 * fixed first, so the durable append does not wait for the signature nor the signature for
 * the commit. The token is returned only once both are done, so no token leaves without its
 * TokenIssued. If signing fails after the append, the trail holds a TokenIssued for a token
 * nobody received, as when a response is lost on its way (ARCHITECTURE.md, "Token path").
 */
export async function issueAccessToken(
  deps: TokenServiceDeps,
  input: {
    application: ExistingApplication;
    sub: string;
    aud: string[];
    scope: string;
    grant: Grant;
    familyId?: string;
    /** authorization_code: the redeemed code's id, recorded on the TokenIssued. */
    codeId?: string;
    jti?: string;
    /** The session's start for a user's sign-in (password, refresh_token). */
    authTime?: number;
    /** Which valid secret authenticated the client (grantRequest.ts); recorded when not the current one. */
    secretIndex?: number;
    request: RequestInfo;
    now: Date;
  },
): Promise<SignedAccessToken> {
  const { application } = input;
  const pending = deps.signer.begin({
    ttlSeconds: accessTokenTtlOf(deps.settings, application),
    sub: input.sub,
    aud: input.aud,
    clientId: application.clientId,
    scope: input.scope,
    org: application.organizationId,
    jti: input.jti,
    authTime: input.authTime,
  });
  const recorded = deps.audit.issued(
    {
      jti: pending.jti,
      applicationId: application.applicationId,
      clientId: application.clientId,
      grant: input.grant,
      sub: input.sub,
      aud: input.aud,
      scope: input.scope,
      exp: pending.exp,
      ...(input.familyId ? { familyId: input.familyId } : {}),
      ...(input.codeId ? { codeId: input.codeId } : {}),
      ...(input.secretIndex ? { previousSecret: input.secretIndex } : {}),
    },
    input.request,
    input.now,
  );
  const [signed] = await Promise.all([pending.signed, recorded]);
  return signed;
}
