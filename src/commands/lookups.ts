import { evolveApplication, initialApplicationState } from '../domain/application/applicationDecider.js';
import type { ApplicationState, ExistingApplication } from '../domain/application/applicationEvents.js';
import { toApplicationNameKey } from '../domain/application/applicationNameKey.js';
import { evolveOrganization, initialOrganizationState } from '../domain/organization/organizationDecider.js';
import type { OrganizationState } from '../domain/organization/organizationEvents.js';
import {
  toApplicationStreamName,
  toOrganizationStreamName,
  toUserStreamName,
} from '../domain/shared/streamNames.js';
import { evolveUser, initialUserState } from '../domain/user/userDecider.js';
import type { UserState } from '../domain/user/userEvents.js';
import { toUsernameKey } from '../domain/user/usernameKey.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { aggregateStream, type AggregatedStream } from './aggregateStream.js';
import type { HolderCheck } from './uniqueKeys.js';

export const loadApplication = (store: EventStore, id: string, asOf?: Date): Promise<AggregatedStream<ApplicationState>> =>
  aggregateStream(store, toApplicationStreamName(id), evolveApplication, initialApplicationState, asOf ? { asOf } : {});

export const loadUser = (store: EventStore, id: string): Promise<AggregatedStream<UserState>> =>
  aggregateStream(store, toUserStreamName(id), evolveUser, initialUserState);

export const loadOrganization = (store: EventStore, id: string): Promise<AggregatedStream<OrganizationState>> =>
  aggregateStream(store, toOrganizationStreamName(id), evolveOrganization, initialOrganizationState);

export const applicationNameKeyOf = (app: ExistingApplication): string =>
  toApplicationNameKey(app.organizationId, app.ownerUserId, app.name);

/** An application holds its name key while it exists, is not deleted and still has that name. */
export const applicationHoldsName =
  (store: EventStore): HolderCheck =>
  async (applicationId, key) => {
    const { state } = await loadApplication(store, applicationId);
    return state.status !== 'Empty' && state.status !== 'Deleted' && applicationNameKeyOf(state) === key;
  };

/** Usernames never change, so a user holds its key as soon as it is registered. */
export const userHoldsUsername =
  (store: EventStore): HolderCheck =>
  async (userId, key) => {
    const { state } = await loadUser(store, userId);
    return state.status === 'Registered' && toUsernameKey(state.username) === key;
  };
