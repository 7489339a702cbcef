import type { Validator } from '../shared/validation.js';
import { normalizeName, unique } from '../shared/validation.js';
import { GRANTS, type EditableApplicationFields, type Grant } from './applicationEvents.js';
import { isValidRedirectUri, MAX_REDIRECT_URIS, REDIRECT_URI_RULE } from './redirectUris.js';

export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 4096;
export const MAX_LIST_ITEMS = 100;
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;
/** Per-application token lifetimes: at least a minute; the server's maximums are checked by the command service. */
export const MIN_TOKEN_TTL_SECONDS = 60;
export const MAX_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/;

export const isScopeToken = (value: unknown): value is string => typeof value === 'string' && SCOPE_TOKEN.test(value);

/**
 * Grants as stored: deduplicated, in catalogue order, with `refresh_token` added whenever
 * `password` or `authorization_code` is present (such a client always gets refresh tokens,
 * as in Oro). `refresh_token` alone is refused: nothing could ever issue the first refresh
 * token. Returns null when invalid (the validator holds the reason).
 */
export const normalizeGrants = (v: Validator, grants: unknown): Grant[] | null => {
  if (!Array.isArray(grants) || !grants.every((g) => GRANTS.includes(g as Grant))) {
    v.add('grants', `must be a list among ${GRANTS.join(', ')}`);
    return null;
  }
  const set = new Set<Grant>(grants as Grant[]);
  if (!set.has('client_credentials') && !set.has('password') && !set.has('authorization_code')) {
    v.add('grants', 'must include client_credentials, password or authorization_code (refresh_token comes with password and authorization_code)');
    return null;
  }
  if (set.has('password') || set.has('authorization_code')) set.add('refresh_token');
  return GRANTS.filter((g) => set.has(g));
};

const normalizeOptionalText = (value: unknown): string | null | undefined => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

const isHttpUrl = (value: string): boolean => {
  if (value.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const normalizeStringList = (
  v: Validator,
  field: string,
  value: unknown,
  isItem: (item: unknown) => boolean,
  itemRule: string,
): string[] | null => {
  if (!Array.isArray(value) || value.length > MAX_LIST_ITEMS || !value.every(isItem)) {
    v.add(field, `must be a list of at most ${MAX_LIST_ITEMS} ${itemRule}`);
    return null;
  }
  return unique(value as string[]);
};

const isApiName = (item: unknown): boolean => typeof item === 'string' && item.length >= 1 && item.length <= 255;

/**
 * Validates and normalises each editable field that is present. Whole-object rules
 * (apis required when allApis is false) are checked by `checkApiSelection` on the result.
 */
export const normalizeEditable = (
  v: Validator,
  input: Partial<Record<keyof EditableApplicationFields, unknown>>,
): Partial<EditableApplicationFields> => {
  const out: Partial<EditableApplicationFields> = {};
  if ('name' in input) {
    const name = normalizeName(input.name);
    if (v.check(name !== null, 'name', 'must be 1 to 255 characters without control characters')) out.name = name as string;
  }
  if ('organizationId' in input) {
    const id = input.organizationId;
    if (v.check(typeof id === 'string' && id.length > 0, 'organizationId', 'is required')) out.organizationId = id as string;
  }
  if ('allApis' in input) {
    if (v.check(typeof input.allApis === 'boolean', 'allApis', 'must be a boolean')) out.allApis = input.allApis as boolean;
  }
  if ('apis' in input) {
    const apis = normalizeStringList(v, 'apis', input.apis, isApiName, 'API names');
    if (apis) out.apis = apis;
  }
  if ('scopes' in input) {
    const scopes = normalizeStringList(v, 'scopes', input.scopes, isScopeToken, 'scope tokens (RFC 6749 §3.3)');
    if (scopes) out.scopes = scopes;
  }
  if ('applicationUrl' in input) {
    const url = normalizeOptionalText(input.applicationUrl);
    if (v.check(url === null || (url !== undefined && isHttpUrl(url)), 'applicationUrl', `must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`)) {
      out.applicationUrl = url as string | null;
    }
  }
  if ('description' in input) {
    const text = normalizeOptionalText(input.description);
    if (v.check(text === null || (text !== undefined && text.length <= MAX_DESCRIPTION_LENGTH), 'description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`)) {
      out.description = text as string | null;
    }
  }
  if ('redirectUris' in input) {
    const uris = input.redirectUris;
    const ok = Array.isArray(uris) && uris.length <= MAX_REDIRECT_URIS && uris.every(isValidRedirectUri);
    if (v.check(ok, 'redirectUris', `must be a list of at most ${MAX_REDIRECT_URIS} URLs; each ${REDIRECT_URI_RULE}`)) {
      out.redirectUris = unique(uris as string[]);
    }
  }
  for (const flag of ['confidential', 'skipConsent'] as const) {
    if (flag in input && v.check(typeof input[flag] === 'boolean', flag, 'must be a boolean')) out[flag] = input[flag] as boolean;
  }
  for (const ttl of ['accessTokenTtl', 'refreshTokenTtl'] as const) {
    if (!(ttl in input)) continue;
    const value = input[ttl];
    const ok = value === null || (Number.isInteger(value) && (value as number) >= MIN_TOKEN_TTL_SECONDS && (value as number) <= MAX_TOKEN_TTL_SECONDS);
    if (v.check(ok, ttl, `must be null (the server's default) or whole seconds from ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}`)) {
      out[ttl] = value as number | null;
    }
  }
  return out;
};

/**
 * authorization_code needs at least one redirect URI; only it uses them. A public client
 * (no secret) may use nothing but authorization_code with PKCE (and its refresh tokens).
 */
export const checkAuthorizationCodeFields = (
  v: Validator,
  grants: readonly Grant[],
  fields: Pick<EditableApplicationFields, 'redirectUris' | 'confidential'>,
): void => {
  const code = grants.includes('authorization_code');
  if (code) v.check(fields.redirectUris.length > 0, 'redirectUris', 'must name at least one redirect URI for authorization_code');
  else v.check(fields.redirectUris.length === 0, 'redirectUris', 'are only for authorization_code');
  if (!fields.confidential) {
    v.check(code && grants.every((g) => g === 'authorization_code' || g === 'refresh_token'), 'confidential', 'a public client may only use authorization_code');
  }
};

/** "All APIs" off means the application must name the APIs it may call. */
export const checkApiSelection = (v: Validator, fields: Pick<EditableApplicationFields, 'allApis' | 'apis'>): void => {
  v.check(fields.allApis || fields.apis.length > 0, 'apis', 'must name at least one API when allApis is false');
};
