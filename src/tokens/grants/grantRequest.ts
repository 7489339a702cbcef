import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import type { OAuthParams } from '../http/readOAuthParams.js';
import type { RequestInfo } from '../requestInfo.js';
import type { TokenResponse } from '../tokenResponse.js';
import type { TokenServiceDeps } from '../tokenServiceDeps.js';

/** A token request whose client has been authenticated (and is active). */
export interface GrantRequest {
  params: OAuthParams;
  application: ExistingApplication;
  /** Which valid secret authenticated the client (0 or absent: the current one, a public client, the console in process); recorded in TokenIssued when not 0. */
  secretIndex?: number;
  request: RequestInfo;
  now: Date;
}

export type GrantHandler = (deps: TokenServiceDeps, request: GrantRequest) => Promise<TokenResponse>;
