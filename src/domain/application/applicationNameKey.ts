/**
 * The uniqueness key of an application name: names are unique within one organization and
 * owner, compared case-insensitively after trimming (DESIGN §1, Oro). NUL cannot occur in
 * ids or names we accept, so it separates the parts unambiguously.
 */
export const toApplicationNameKey = (organizationId: string, ownerUserId: string | null, name: string): string =>
  [organizationId, ownerUserId ?? '', name.trim().normalize('NFC').toLowerCase()].join('\u0000');

export const APPLICATION_NAME_SCOPE = 'applicationName';
