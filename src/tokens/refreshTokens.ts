import { createHash, randomBytes } from 'node:crypto';
import type { Command, CommandMetadata } from '../domain/shared/event.js';
import { toRefreshTokenFamilyStreamName } from '../domain/shared/streamNames.js';
import {
  refreshTokenFamilyDecider,
  type IssueRefreshToken,
} from '../domain/tokens/refreshTokenFamilyDecider.js';
import type { ExistingApplication } from '../domain/application/applicationEvents.js';
import { clientMetadata, type RequestInfo } from './requestInfo.js';
import type { TokenServiceDeps } from './tokenServiceDeps.js';
import { refreshTokenTtlOf } from './tokenLifetimes.js';

/**
 * Refresh tokens are opaque: `<familyId>.<32 random bytes, base64url>`. The family id names
 * the stream to load; only a SHA-256 of the whole token is stored (it has 256 bits of
 * entropy, so a fast hash suffices).
 */
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

export const newFamilyId = (): string => randomBytes(16).toString('base64url');

export const newRefreshToken = (familyId: string): string => `${familyId}.${randomBytes(32).toString('base64url')}`;

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** The family a well-formed refresh token belongs to; undefined for anything else. */
export function familyIdOf(token: string): string | undefined {
  return REFRESH_TOKEN.exec(token)?.[1];
}

export function command<C extends Command<string, object>>(type: C['type'], data: C['data'], metadata: CommandMetadata): C {
  return { type, data, metadata } as C;
}

/** Starts a family (password and authorization_code grants) and answers its first refresh token. */
export async function startRefreshTokenFamily(
  deps: TokenServiceDeps,
  input: {
    application: ExistingApplication;
    userId: string;
    scope: string;
    aud: string[];
    accessTokenJti: string;
    authTime: number;
    request: RequestInfo;
    now: Date;
    /** Chosen by the caller when it must be recorded first (authorization_code). */
    familyId?: string;
  },
): Promise<string> {
  const familyId = input.familyId ?? newFamilyId();
  const token = newRefreshToken(familyId);
  const expiresAt = new Date(input.now.getTime() + refreshTokenTtlOf(deps.settings, input.application) * 1000).toISOString();
  await deps.commands.handle(
    refreshTokenFamilyDecider,
    toRefreshTokenFamilyStreamName(familyId),
    command<IssueRefreshToken>(
      'IssueRefreshToken',
      {
        familyId,
        applicationId: input.application.applicationId,
        userId: input.userId,
        tokenHash: hashRefreshToken(token),
        scope: input.scope,
        aud: input.aud,
        expiresAt,
        accessTokenJti: input.accessTokenJti,
        authTime: input.authTime,
      },
      clientMetadata(input.application, input.request, input.now),
    ),
  );
  return token;
}
