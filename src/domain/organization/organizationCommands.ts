import type { Command } from '../shared/event.js';

export type CreateOrganization = Command<
  'CreateOrganization',
  { organizationId: string; name: string; globalAccess: boolean }
>;
export type RenameOrganization = Command<'RenameOrganization', { organizationId: string; name: string }>;
export type EnableOrganization = Command<'EnableOrganization', { organizationId: string }>;
export type DisableOrganization = Command<'DisableOrganization', { organizationId: string }>;

export type OrganizationCommand =
  | CreateOrganization
  | RenameOrganization
  | EnableOrganization
  | DisableOrganization;
