import { applicationNamesAsOf, secretsValidAt } from '../../audit/registryAsOf.js';
import { applicationThen } from '../../admin/applicationAccess.js';
import type { Principal } from '../../authorization/principal.js';
import { isDomainError } from '../../domain/shared/domainError.js';
import { HttpProblem } from '../../http/problem.js';
import type { ConsoleDeps } from '../consoleDeps.js';
import { apiNames, GRANT_LABELS } from './applicationModels.js';
import { inputValue, parseConsoleTime } from './timeInput.js';

/**
 * The History tab's "as of" view: the application as it was at a moment, folded from its own
 * stream up to that moment by the admin API's `GET …/:id?asOf=` loader (`applicationThen`: one
 * fold, the decider's; shown only if the caller could see the application as it was then), the
 * owner's username and the organization's name as they were then (`applicationNamesAsOf`, as the
 * admin API answers), and the secrets valid then (registryAsOf's rule).
 * Reads the application stream (small) and the owner's and organization's, never the tokens.
 */
export async function asOfView(deps: ConsoleDeps, principal: Principal, applicationId: string, raw: unknown) {
  let at: Date | undefined;
  try {
    at = parseConsoleTime('asOf', raw);
  } catch (error) {
    if (!(error instanceof HttpProblem) && !isDomainError(error)) throw error;
    return { value: typeof raw === 'string' ? raw : '', error: 'Enter a date and time (UTC), or an ISO-8601 time such as 2026-01-31T12:00:00Z.' };
  }
  if (at === undefined) return { value: '' };
  const shown = { value: inputValue(at), at: at.toISOString() };
  const then = await applicationThen(deps.store, principal, applicationId, at);
  if (then.kind === 'notYet') return { ...shown, notYet: true };
  if (then.kind === 'outside') return { ...shown, outside: true };
  const { state } = then;
  const time = at.getTime();
  const names = await applicationNamesAsOf(deps.store, at, state);
  return {
    ...shown,
    app: {
      name: state.name,
      status: state.status,
      deleted: state.status === 'Deleted',
      active: state.status === 'Active',
      organizationName: names.organizationName || state.organizationId,
      ownerUserId: state.ownerUserId,
      ownerUsername: names.ownerUsername,
      grants: state.grants.map((g) => GRANT_LABELS[g] ?? g).join(', '),
      apis: apiNames(deps.catalog, state),
      scopes: state.scopes.join(' '),
      redirectUris: state.redirectUris,
      authorizationCode: state.grants.includes('authorization_code'),
      confidential: state.confidential,
      applicationUrl: state.applicationUrl,
      description: state.description,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      secrets: secretsValidAt(state, time).map((s) => ({ label: s.current ? 'Current' : 'Previous (grace period)', validUntil: s.validUntil })),
    },
  };
}
