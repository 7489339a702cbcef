import type { Event } from '../shared/event.js';

export type OrganizationCreated = Event<
  'OrganizationCreated',
  { organizationId: string; name: string; globalAccess: boolean }
>;
export type OrganizationRenamed = Event<
  'OrganizationRenamed',
  { organizationId: string; name: string; previousName: string }
>;
export type OrganizationEnabled = Event<'OrganizationEnabled', { organizationId: string }>;
export type OrganizationDisabled = Event<'OrganizationDisabled', { organizationId: string }>;

export type OrganizationEvent =
  | OrganizationCreated
  | OrganizationRenamed
  | OrganizationEnabled
  | OrganizationDisabled;

export type OrganizationState =
  | { status: 'Empty' }
  | {
      status: 'Enabled' | 'Disabled';
      organizationId: string;
      name: string;
      globalAccess: boolean;
    };
