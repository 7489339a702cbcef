import { z } from 'zod';
import { DomainError, type FieldError } from '../domain/shared/domainError.js';
import { USER_ROLES } from '../domain/user/userEvents.js';
import { GRANTS, type Grant } from '../domain/application/applicationEvents.js';
import { MAX_REDIRECT_URI_LENGTH, MAX_REDIRECT_URIS } from '../domain/application/redirectUris.js';

/**
 * Parses a request body with a strict zod schema: unknown fields are refused, and every
 * problem comes back as a per-field error (problem+json `errors`).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new DomainError('VALIDATION', 'The request is invalid.', toFieldErrors(result.error));
}

/** `['recipients', 'addresses', 0]` → `recipients.addresses[0]` (the domain's style too). */
const fieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        message: 'Unknown field.',
      }));
    }
    return [{ field: fieldPath(issue.path) || '(body)', message: issue.message }];
  });
}

const id = z.string().min(1).max(128);
const grant = z.enum(GRANTS as [Grant, ...Grant[]]);
/** authorization_code fields and token lifetimes; the domain validates their rules (redirectUris.ts). */
const authorizationCodeFields = {
  redirectUris: z.array(z.string().max(MAX_REDIRECT_URI_LENGTH)).max(MAX_REDIRECT_URIS).optional(),
  confidential: z.boolean().optional(),
  skipConsent: z.boolean().optional(),
  accessTokenTtl: z.number().int().nullable().optional(),
  refreshTokenTtl: z.number().int().nullable().optional(),
};

export const createApplicationBody = z.strictObject({
  name: z.string(),
  organizationId: id.optional(),
  active: z.boolean().optional(),
  grants: z.array(grant).max(GRANTS.length),
  ownerUserId: id.optional(),
  frontend: z.boolean().optional(),
  allApis: z.boolean().optional(),
  apis: z.array(z.string().max(255)).max(100).optional(),
  scopes: z.array(z.string().max(255)).max(100).optional(),
  applicationUrl: z.string().max(2048).nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  ...authorizationCodeFields,
});
export type CreateApplicationBody = z.infer<typeof createApplicationBody>;

/** "My User": only name, organization and active apply (Oro's dialog). */
export const createMyApplicationBody = z.strictObject({
  name: z.string(),
  organizationId: id.optional(),
  active: z.boolean().optional(),
});

/**
 * Edit: every editable field optional. Grants and owner are listed so that an attempt to
 * change them is answered with a clear 400 naming the field, not "unknown field".
 */
export const updateApplicationBody = z.strictObject({
  name: z.string().optional(),
  organizationId: id.optional(),
  allApis: z.boolean().optional(),
  apis: z.array(z.string().max(255)).max(100).optional(),
  scopes: z.array(z.string().max(255)).max(100).optional(),
  applicationUrl: z.string().max(2048).nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  ...authorizationCodeFields,
  grants: z.unknown().optional(),
  ownerUserId: z.unknown().optional(),
  frontend: z.unknown().optional(),
  clientId: z.unknown().optional(),
});

export const rotateSecretBody = z.strictObject({
  graceSeconds: z.number().int().min(0).max(30 * 86400).optional(),
});

export const createOrganizationBody = z.strictObject({
  name: z.string(),
  globalAccess: z.boolean().optional(),
});

export const createUserBody = z.strictObject({
  username: z.string(),
  email: z.string(),
  password: z.string().min(8, 'Must be at least 8 characters.').max(1024),
  kind: z.enum(['backOffice', 'customer']),
  roles: z.array(z.enum(USER_ROLES)).min(1),
  organizationIds: z.array(id).min(1),
  locale: z.string().max(35).optional(),
});

export const updateUserBody = z.strictObject({
  email: z.string().optional(),
  locale: z.string().max(35).optional(),
  organizationIds: z.array(id).min(1).optional(),
  roles: z.array(z.enum(USER_ROLES)).min(1).optional(),
  enabled: z.boolean().optional(),
  locked: z.boolean().optional(),
  password: z.string().min(8, 'Must be at least 8 characters.').max(1024).optional(),
  /** Required (and checked) when one changes one's own password. */
  currentPassword: z.string().max(1024).optional(),
});

export const updateOrganizationBody = z.strictObject({
  name: z.string().optional(),
  enabled: z.boolean().optional(),
});
