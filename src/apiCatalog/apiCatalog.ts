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
}

export interface ApiCatalog {
  readonly entries: readonly ApiEntry[];
  /** Audience URI of Tollgate's own admin API (what bearerAuth requires). */
  readonly adminAudience: string;
  byId(id: string): ApiEntry | undefined;
  audiencesFor(application: ApplicationApis): string[];
}

/** The part of an application that decides its audiences. */
export interface ApplicationApis {
  frontend: boolean;
  allApis: boolean;
  apis: readonly string[];
}

export const ADMIN_API_ID = 'tollgate-admin';

export const apiCatalogSchema = z
  .array(
    z
      .object({
        id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and ._:- only'),
        name: z.string().min(1).max(255),
        audience: z.string().min(1).max(2048),
        side: z.enum(['backOffice', 'storefront']),
      })
      .strict(),
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
  return [
    { id: ADMIN_API_ID, name: 'Tollgate admin API', audience: `${base}/admin`, side: 'backOffice' },
    { id: 'json-api', name: 'JSON:API', audience: `${base}/api`, side: 'backOffice' },
    { id: 'email-addon', name: 'Email Addon', audience: `${base}/api/email`, side: 'backOffice' },
    { id: 'scim', name: 'SCIM', audience: `${base}/scim/v2`, side: 'backOffice' },
    { id: 'storefront-api', name: 'Storefront API', audience: `${base}/storefront/api`, side: 'storefront' },
  ];
}

export class ApiCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiCatalogError';
  }
}

export function createApiCatalog(entries: readonly ApiEntry[], issuer: string): ApiCatalog {
  const frozen = Object.freeze(entries.map((e) => Object.freeze({ ...e })));
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
