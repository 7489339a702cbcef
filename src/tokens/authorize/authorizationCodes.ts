import { createHash, randomBytes } from 'node:crypto';
import {
  authorizationCodeDecider,
  type IssueAuthorizationCode,
} from '../../domain/authorization/authorizationCodeDecider.js';
import { toAuthorizationCodeStreamName } from '../../domain/shared/streamNames.js';
import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { command } from '../refreshTokens.js';
import { consoleUserMetadata, type RequestInfo } from '../requestInfo.js';
import { authorizationCodeTtlOf } from '../tokenLifetimes.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';

/**
 * Authorization codes: 32 random bytes (256 bits) in base64url. Only SHA-256 of the code is
 * stored (it names the code's stream); a fast hash suffices for a 256-bit random value.
 */
const CODE = /^[A-Za-z0-9_-]{43}$/;
export const isWellFormedCode = (code: string): boolean => CODE.test(code);
export const hashAuthorizationCode = (code: string): string => createHash('sha256').update(code).digest('base64url');
/**
 * A code's id in the application's history (AuthorizationCodeGranted, TokenIssued.codeId,
 * TokenRevoked.codeId): the first 12 characters (72 bits) of its hash. It tells one
 * application's codes apart and ties a code to its token, and names no stream: the code's own
 * stream (the full hash) cannot be found from the history.
 */
export const codeIdOf = (codeHash: string): string => codeHash.slice(0, 12);

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
export const isValidCodeVerifier = (value: string): boolean => /^[A-Za-z0-9._~-]{43,128}$/.test(value);
/** An S256 challenge is a base64url SHA-256: 43 characters. */
export const isValidS256Challenge = (value: string): boolean => CODE.test(value);

export interface CodeGrant {
  application: ExistingApplication;
  userId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  codeChallenge: string;
  scope: string;
  /** The user's sign-in (seconds): the console session's start. */
  authTime: number;
  /** The metadata's `via`: 'console' (default) or, for a storefront user, the client id. */
  via?: string;
}

/**
 * Issues a code for an approved authorization request; answers the code (shown once).
 * Writes, in this order, and the code leaves only after both:
 * 1. `AuthorizationCodeIssued` on `authorizationCode-<hash>` (no stream expected): the code
 *    exists, and its stream is what a redemption decides on;
 * 2. `AuthorizationCodeGranted` on `oauthTokens-<applicationId>`: the application's history.
 * A crash (or a failed append) after 1 leaves a code nobody was given, which expires unused
 * and is missing from the history; one after 2 shows in the history a code that was never
 * delivered. A delivered code is always in the history.
 */
export async function issueAuthorizationCode(
  deps: Pick<TokenServiceDeps, 'commands' | 'settings' | 'audit'>,
  grant: CodeGrant,
  request: RequestInfo,
  now: Date,
): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  const codeHash = hashAuthorizationCode(code);
  const expiresAt = new Date(now.getTime() + authorizationCodeTtlOf(deps.settings) * 1000).toISOString();
  const metadata = consoleUserMetadata(grant.userId, request, now, grant.via);
  await deps.commands.handle(
    authorizationCodeDecider,
    toAuthorizationCodeStreamName(codeHash),
    command<IssueAuthorizationCode>(
      'IssueAuthorizationCode',
      {
        codeHash,
        applicationId: grant.application.applicationId,
        userId: grant.userId,
        redirectUri: grant.redirectUri,
        redirectUriGiven: grant.redirectUriGiven,
        codeChallenge: grant.codeChallenge,
        scope: grant.scope,
        authTime: grant.authTime,
        expiresAt,
      },
      metadata,
    ),
  );
  await deps.audit.codeGranted(
    {
      codeId: codeIdOf(codeHash),
      applicationId: grant.application.applicationId,
      userId: grant.userId,
      redirectUri: grant.redirectUri,
      scope: grant.scope,
      codeChallengeMethod: 'S256',
      expiresAt,
    },
    metadata,
  );
  return code;
}
