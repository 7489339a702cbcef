import type { FieldError } from '../domain/shared/domainError.js';
import type { ApiCatalog, ApplicationApis } from './apiCatalog.js';

/**
 * Which scopes an application may hold, from the API catalog: only scopes of the APIs it may
 * use. An administrator may give any of them; a plain user giving their own application only
 * the APIs' default scopes and the scopes the catalog lets users give (`userScopes`).
 * The one validation for create and update (admin API and console alike).
 */
export type ScopeGranter = 'administrator' | 'owner';

export interface ApplicationScopes extends ApplicationApis {
  scopes: readonly string[];
}

/** The scopes `granter` may give this application. */
export function grantableScopes(catalog: ApiCatalog, application: ApplicationApis, granter: ScopeGranter): Set<string> {
  const out = new Set<string>();
  for (const api of catalog.apisFor(application)) {
    const scopes = granter === 'administrator' ? api.scopes : [...api.defaultScopes, ...api.userScopes];
    for (const scope of scopes) out.add(scope);
  }
  return out;
}

/** One error per scope the application may not hold, naming it (`scopes[i]`); none when all are allowed. */
export function applicationScopeErrors(catalog: ApiCatalog, application: ApplicationScopes, granter: ScopeGranter): FieldError[] {
  const known = grantableScopes(catalog, application, 'administrator');
  const grantable = grantableScopes(catalog, application, granter);
  const errors: FieldError[] = [];
  application.scopes.forEach((scope, i) => {
    if (grantable.has(scope)) return;
    const message = known.has(scope)
      ? `${scope} may only be given by an administrator`
      : `unknown scope ${scope}: not a scope of the APIs this application may use`;
    errors.push({ field: `scopes[${i}]`, message });
  });
  return errors;
}
