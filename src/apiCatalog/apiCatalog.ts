import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The API catalog (DESIGN §1 "Backend vs frontend"): which APIs exist, the audience URI a
 * token must carry to call each, and whether it serves back-office or storefront users. A
 * token's `aud` only ever holds APIs of one side.
 */
export type ApiSide = 'backOffice' | 'storefront';

export interface ApiEntry {
  id: string;
  name: string;
  audience: string;
  side: ApiSide;
  /** Every scope the API knows; an application may hold only scopes of the APIs it may use. */
  scopes: string[];
  /** Scopes any application of the API may hold, a plain user's own included (the API's default scope). */
  defaultScopes: string[];
  /** Further scopes a plain (non-administrator) user may give their own application; default none. */
  userScopes: string[];
}

export interface ApiCatalog {
  readonly entries: readonly ApiEntry[];
  /** Audience URI of Tollgate's own admin API (what bearerAuth requires). */
  readonly adminAudience: string;
  byId(id: string): ApiEntry | undefined;
  audiencesFor(application: ApplicationApis): string[];
  /** The catalog entries an application may call (its side; all of them or the ones it names). */
  apisFor(application: ApplicationApis): ApiEntry[];
}

/** The part of an application that decides its audiences. */
export interface ApplicationApis {
  frontend: boolean;
  allApis: boolean;
  apis: readonly string[];
}

export const ADMIN_API_ID = 'tollgate-admin';

// RFC 6749 §3.3 scope-token.
const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/, 'a scope token (RFC 6749 §3.3)');

export const apiCatalogSchema = z
  .array(
    z
      .object({
        id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and ._:- only'),
        name: z.string().min(1).max(255),
        audience: z.string().min(1).max(2048),
        side: z.enum(['backOffice', 'storefront']),
        scopes: z.array(scopeToken).max(100).default([]),
        defaultScopes: z.array(scopeToken).max(100).default([]),
        userScopes: z.array(scopeToken).max(100).default([]),
      })
      .strict()
      .superRefine((entry, ctx) => {
        for (const field of ['defaultScopes', 'userScopes'] as const) {
          entry[field].forEach((scope, i) => {
            if (!entry.scopes.includes(scope)) ctx.addIssue({ code: 'custom', path: [field, i], message: `${scope} is not one of the API's scopes` });
          });
        }
      }),
  )
  .min(1)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id ${e.id}` });
      seen.add(e.id);
    });
  });

export function defaultApiEntries(issuer: string): ApiEntry[] {
  const base = issuer.replace(/\/+$/, '');
  const api = (id: string, name: string, audience: string, side: ApiSide, scopes: string[], defaultScopes: string[] = []): ApiEntry => ({
    id, name, audience, side, scopes, defaultScopes, userScopes: [],
  });
  return [
    api(ADMIN_API_ID, 'Tollgate admin API', `${base}/admin`, 'backOffice', ['admin']),
    api('json-api', 'JSON:API', `${base}/api`, 'backOffice', ['read', 'write'], ['read']),
    api('email-addon', 'Email Addon', `${base}/api/email`, 'backOffice', ['email:send']),
    api('scim', 'SCIM', `${base}/scim/v2`, 'backOffice', ['scim:read', 'scim:write']),
    api('storefront-api', 'Storefront API', `${base}/storefront/api`, 'storefront', ['read', 'write'], ['read']),
  ];
}

export class ApiCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiCatalogError';
  }
}

export function createApiCatalog(entries: readonly ApiEntry[], issuer: string): ApiCatalog {
  const frozen = Object.freeze(
    entries.map((e) =>
      Object.freeze({ ...e, scopes: [...(e.scopes ?? [])], defaultScopes: [...(e.defaultScopes ?? [])], userScopes: [...(e.userScopes ?? [])] }),
    ),
  );
  const byId = new Map(frozen.map((e) => [e.id, e]));
  const bySide: Record<ApiSide, string[]> = {
    backOffice: frozen.filter((e) => e.side === 'backOffice').map((e) => e.audience),
    storefront: frozen.filter((e) => e.side === 'storefront').map((e) => e.audience),
  };
  const admin = byId.get(ADMIN_API_ID);
  return {
    entries: frozen,
    adminAudience: admin?.audience ?? `${issuer.replace(/\/+$/, '')}/admin`,
    byId: (id) => byId.get(id),
    audiencesFor(application) {
      const side: ApiSide = application.frontend ? 'storefront' : 'backOffice';
      if (application.allApis) return [...bySide[side]];
      const out: string[] = [];
      for (const id of application.apis) {
        const entry = byId.get(id);
        if (entry && entry.side === side && !out.includes(entry.audience)) out.push(entry.audience);
      }
      return out;
    },
    apisFor(application) {
      const side: ApiSide = application.frontend ? 'storefront' : 'backOffice';
      if (application.allApis) return frozen.filter((e) => e.side === side);
      return frozen.filter((e) => e.side === side && application.apis.includes(e.id));
    },
  };
}

/**
 * Loads the catalog from the JSON file named by API_CATALOG, or the default. `${ISSUER}` in an
 * audience is replaced by the issuer. A bad file stops the start with a message naming
 * API_CATALOG.
 */
export function loadApiCatalog(options: { file?: string; issuer: string }): ApiCatalog {
  if (!options.file) return createApiCatalog(defaultApiEntries(options.issuer), options.issuer);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ApiCatalogError(`API_CATALOG: the file ${options.file} ${reason}`);
  }
  const parsed = apiCatalogSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ApiCatalogError(`API_CATALOG: the file ${options.file} is invalid: ${problems}`);
  }
  const base = options.issuer.replace(/\/+$/, '');
  const entries = parsed.data.map((e) => ({ ...e, audience: e.audience.replaceAll('${ISSUER}', base) }));
  return createApiCatalog(entries, options.issuer);
}
