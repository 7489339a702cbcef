import { DomainError } from '../shared/domainError.js';
import { assertNever, type Decider } from '../shared/event.js';
import { ignoreUnknownEvent } from '../shared/unknownEvent.js';
import { createValidator, isNonEmptyString, normalizeName } from '../shared/validation.js';
import type { OrganizationCommand } from './organizationCommands.js';
import type { OrganizationEvent, OrganizationState } from './organizationEvents.js';

type ExistingOrganization = Exclude<OrganizationState, { status: 'Empty' }>;

export const initialOrganizationState = (): OrganizationState => ({ status: 'Empty' });

const existing = (state: OrganizationState): ExistingOrganization => {
  if (state.status === 'Empty') throw new DomainError('NOT_FOUND', 'Organization not found');
  return state;
};

const validName = (name: unknown): string => {
  const v = createValidator();
  const normalized = normalizeName(name);
  v.check(normalized !== null, 'name', 'must be 1 to 255 characters without control characters');
  v.throwIfInvalid('Invalid organization');
  return normalized as string;
};

/** Enable/disable/rename are idempotent: asking for the current value records nothing. */
export const decideOrganization = (command: OrganizationCommand, state: OrganizationState): OrganizationEvent[] => {
  const { organizationId } = command.data;
  switch (command.type) {
    case 'CreateOrganization': {
      if (state.status !== 'Empty') throw new DomainError('ALREADY_EXISTS', 'Organization already exists');
      const v = createValidator();
      const name = normalizeName(command.data.name);
      v.check(isNonEmptyString(organizationId), 'organizationId', 'is required');
      v.check(name !== null, 'name', 'must be 1 to 255 characters without control characters');
      v.check(typeof command.data.globalAccess === 'boolean', 'globalAccess', 'must be a boolean');
      v.throwIfInvalid('Invalid organization');
      return [
        {
          type: 'OrganizationCreated',
          data: { organizationId, name: name as string, globalAccess: command.data.globalAccess },
        },
      ];
    }
    case 'RenameOrganization': {
      const current = existing(state);
      const name = validName(command.data.name);
      if (name === current.name) return [];
      return [{ type: 'OrganizationRenamed', data: { organizationId, name, previousName: current.name } }];
    }
    case 'EnableOrganization':
      return existing(state).status === 'Enabled' ? [] : [{ type: 'OrganizationEnabled', data: { organizationId } }];
    case 'DisableOrganization':
      return existing(state).status === 'Disabled' ? [] : [{ type: 'OrganizationDisabled', data: { organizationId } }];
    default:
      return assertNever(command);
  }
};

export const evolveOrganization = (state: OrganizationState, event: OrganizationEvent): OrganizationState => {
  switch (event.type) {
    case 'OrganizationCreated':
      return { status: 'Enabled', ...event.data };
    case 'OrganizationRenamed':
      return state.status === 'Empty' ? state : { ...state, name: event.data.name };
    case 'OrganizationEnabled':
      return state.status === 'Empty' ? state : { ...state, status: 'Enabled' };
    case 'OrganizationDisabled':
      return state.status === 'Empty' ? state : { ...state, status: 'Disabled' };
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const organizationDecider: Decider<OrganizationState, OrganizationCommand, OrganizationEvent> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};
