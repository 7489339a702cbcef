import { randomUUID } from 'node:crypto';
import { createOrganization } from '../../../src/commands/organizationCommands.js';
import { registerUser } from '../../../src/commands/userCommands.js';
import {
  createApplication,
  deleteApplication,
  setApplicationActive,
  rotateApplicationSecret,
  type CreateApplicationInput,
} from '../../../src/commands/applicationCommands.js';
import type { CommandMetadata } from '../../../src/domain/shared/event.js';
import { toUserStreamName } from '../../../src/domain/shared/streamNames.js';
import { userDecider } from '../../../src/domain/user/userDecider.js';
import type { UserCommand } from '../../../src/domain/user/userCommands.js';
import type { UserKind, UserRole } from '../../../src/domain/user/userEvents.js';
import type { TokenServer } from './tokenServer.js';

/**
 * Seeds state the way the product does: the real command functions append real events to
 * the real store; what a node writes it applies to its own cache (as the HTTP layer does).
 */
export const meta = (server: TokenServer): CommandMetadata => ({
  actor: 'test',
  actorKind: 'user',
  now: server.clock.now(),
  correlationId: randomUUID(),
});

export interface SeededApp {
  applicationId: string;
  clientId: string;
  clientSecret: string;
}

export interface SeededUser {
  userId: string;
  username: string;
  password: string;
}

export async function seedOrganization(server: TokenServer, name = `org-${randomUUID()}`): Promise<string> {
  const result = await createOrganization(server.commandDeps, { name, globalAccess: false }, meta(server));
  await server.cache.applyAppended(result.events);
  return idOf(result.state, 'organizationId');
}

export async function seedUser(
  server: TokenServer,
  input: { organizationIds: string[]; kind?: UserKind; roles?: UserRole[]; username?: string; password?: string },
): Promise<SeededUser> {
  const username = input.username ?? `user-${randomUUID().slice(0, 8)}`;
  const password = input.password ?? 'correct horse battery';
  const kind = input.kind ?? 'backOffice';
  const result = await registerUser(
    server.commandDeps,
    {
      username,
      email: `${username}@example.test`,
      password,
      kind,
      roles: input.roles ?? (kind === 'backOffice' ? ['admin'] : ['user']),
      organizationIds: input.organizationIds,
    },
    meta(server),
  );
  await server.cache.applyAppended(result.events);
  return { userId: idOf(result.state, 'userId'), username, password };
}

export async function seedApp(server: TokenServer, input: CreateApplicationInput): Promise<SeededApp> {
  const result = await createApplication(server.commandDeps, input, meta(server));
  await server.cache.applyAppended(result.events);
  const state = result.state;
  if (state.status === 'Empty') throw new Error('application not created');
  return { applicationId: state.applicationId, clientId: state.clientId, clientSecret: result.clientSecret };
}

export async function setActive(server: TokenServer, applicationId: string, active: boolean): Promise<void> {
  const result = await setApplicationActive(server.commandDeps, { applicationId, active }, meta(server));
  await server.cache.applyAppended(result.events);
}

export async function removeApp(server: TokenServer, applicationId: string): Promise<void> {
  const result = await deleteApplication(server.commandDeps, { applicationId }, meta(server));
  await server.cache.applyAppended(result.events);
}

export async function rotateSecret(server: TokenServer, applicationId: string, graceSeconds?: number): Promise<string> {
  const result = await rotateApplicationSecret(server.commandDeps, { applicationId, graceSeconds }, meta(server));
  await server.cache.applyAppended(result.events);
  return result.clientSecret;
}

export async function userCommand(
  server: TokenServer,
  userId: string,
  type: 'DisableUser' | 'EnableUser' | 'LockUser' | 'UnlockUser',
): Promise<void> {
  const command = { type, data: { userId }, metadata: meta(server) } as UserCommand;
  const result = await server.commandDeps.handler.handle(userDecider, toUserStreamName(userId), command);
  await server.cache.applyAppended(result.events);
}

function idOf(state: object, field: string): string {
  const value = (state as Record<string, unknown>)[field];
  if (typeof value !== 'string') throw new Error(`seeding failed: no ${field}`);
  return value;
}

/** A typical world: one organization, a back-office admin, a customer, and their apps. */
export async function seedWorld(server: TokenServer) {
  const organizationId = await seedOrganization(server);
  const admin = await seedUser(server, { organizationIds: [organizationId], kind: 'backOffice' });
  const customer = await seedUser(server, { organizationIds: [organizationId], kind: 'customer' });
  const ccApp = await seedApp(server, {
    name: 'cc app', organizationId, ownerUserId: admin.userId, grants: ['client_credentials'], scopes: ['read', 'write'],
  });
  const passwordApp = await seedApp(server, {
    name: 'password app', organizationId, ownerUserId: null, grants: ['password'], scopes: ['read'],
  });
  const storefrontApp = await seedApp(server, {
    name: 'storefront app', organizationId, ownerUserId: customer.userId, grants: ['client_credentials', 'password'],
  });
  return { organizationId, admin, customer, ccApp, passwordApp, storefrontApp };
}
