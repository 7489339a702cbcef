import { randomBytes } from 'node:crypto';
import { createApplication } from '../commands/applicationCommands.js';
import type { CommandDeps } from '../commands/commandDeps.js';
import { createOrganization } from '../commands/organizationCommands.js';
import { registerUser } from '../commands/userCommands.js';
import type { CommandMetadata } from '../domain/shared/event.js';
import {
  streamPrefixes,
  toApplicationStreamName,
  toOrganizationStreamName,
  toUserStreamName,
} from '../domain/shared/streamNames.js';
import { isConcurrencyError, type EventStore } from '../eventStore/eventStore.js';
import { newEventId, newId } from '../security/ids.js';

export const BOOTSTRAP_STREAM = 'tollgateBootstrap-1';

export interface BootstrapSettings {
  adminUsername: string;
  adminPassword?: string;
  adminEmail: string;
  clientId?: string;
  clientSecret?: string;
}

/** What first start created; clear values only for what it generated (printed once). */
export interface BootstrapReport {
  organizationId: string;
  adminUserId: string;
  adminUsername: string;
  generatedAdminPassword?: string;
  applicationId: string;
  clientId: string;
  generatedClientSecret?: string;
}

interface BootstrapStarted {
  organizationId: string;
  userId: string;
  applicationId: string;
}

const exists = async (store: EventStore, stream: string): Promise<boolean> =>
  (await store.readStream(stream, { maxCount: 1 })).length > 0;

const generatedPassword = (): string => randomBytes(18).toString('base64url');

/**
 * First start on an empty store: an organization with global access, an administrator and a
 * client-credentials application owned by them, so a fresh install can be driven with curl.
 * A marker stream claimed with "no stream" makes this happen once even when several nodes
 * start together; each step is skipped if its stream exists, so a crash midway resumes.
 * Returns null when there was nothing to do (every later start).
 */
export async function bootstrapFirstStart(
  deps: CommandDeps,
  settings: BootstrapSettings,
  now: () => Date = () => new Date(),
): Promise<BootstrapReport | null> {
  const { store } = deps;
  const marker = await store.readStream(BOOTSTRAP_STREAM);
  if (marker.some((e) => e.type === 'BootstrapCompleted')) return null;
  const metadata = (): CommandMetadata => ({ actor: 'bootstrap', now: now(), correlationId: newId() });

  let ids = marker.find((e) => e.type === 'BootstrapStarted')?.data as BootstrapStarted | undefined;
  if (!ids) {
    const populated = (await store.readAll({ maxCount: 1, filter: { streamPrefixes: [streamPrefixes.organization] } })).length > 0;
    ids = { organizationId: newId(), userId: newId(), applicationId: newId() };
    const m = metadata();
    try {
      await store.appendToStream(
        BOOTSTRAP_STREAM,
        [
          {
            id: newEventId(),
            type: populated ? 'BootstrapCompleted' : 'BootstrapStarted',
            data: populated ? { skipped: 'store already had organizations' } : ids,
            metadata: { actor: m.actor, occurredAt: m.now.toISOString(), correlationId: m.correlationId },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (isConcurrencyError(error)) return null; // another node is bootstrapping
      throw error;
    }
    if (populated) return null;
  }

  const report: BootstrapReport = {
    organizationId: ids.organizationId,
    adminUserId: ids.userId,
    adminUsername: settings.adminUsername,
    applicationId: ids.applicationId,
    clientId: settings.clientId ?? '',
  };
  if (!(await exists(store, toOrganizationStreamName(ids.organizationId)))) {
    await createOrganization(deps, { organizationId: ids.organizationId, name: 'Default', globalAccess: true }, metadata());
  }
  if (!(await exists(store, toUserStreamName(ids.userId)))) {
    const password = settings.adminPassword ?? generatedPassword();
    if (!settings.adminPassword) report.generatedAdminPassword = password;
    await registerUser(
      deps,
      {
        userId: ids.userId,
        username: settings.adminUsername,
        email: settings.adminEmail,
        password,
        kind: 'backOffice',
        roles: ['admin'],
        organizationIds: [ids.organizationId],
      },
      metadata(),
    );
  }
  if (!(await exists(store, toApplicationStreamName(ids.applicationId)))) {
    const created = await createApplication(
      deps,
      {
        applicationId: ids.applicationId,
        ...(settings.clientId ? { clientId: settings.clientId } : {}),
        ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
        name: 'Bootstrap client',
        organizationId: ids.organizationId,
        ownerUserId: ids.userId,
        grants: ['client_credentials'],
        description: 'Created at first start; owned by the first administrator.',
      },
      metadata(),
    );
    if (created.state.status !== 'Empty') report.clientId = created.state.clientId;
    if (!settings.clientSecret) report.generatedClientSecret = created.clientSecret;
  }
  const m = metadata();
  await store.appendToStream(
    BOOTSTRAP_STREAM,
    [{ id: newEventId(), type: 'BootstrapCompleted', data: ids, metadata: { actor: m.actor, occurredAt: m.now.toISOString(), correlationId: m.correlationId } }],
    { expectedRevision: 0 },
  ).catch((error: unknown) => {
    if (!isConcurrencyError(error)) throw error;
  });
  return report;
}

/** The once-only banner: written to stdout directly, never through the (redacting) logger. */
export function formatBootstrapReport(report: BootstrapReport, issuer: string): string {
  const lines = [
    '',
    '================ Tollgate first start ================',
    `Administrator:   ${report.adminUsername}` +
      (report.generatedAdminPassword ? `  password: ${report.generatedAdminPassword}` : '  (password from ADMIN_PASSWORD)'),
    `Bootstrap client_id:     ${report.clientId}`,
    report.generatedClientSecret
      ? `Bootstrap client_secret: ${report.generatedClientSecret}`
      : 'Bootstrap client_secret: (from BOOTSTRAP_CLIENT_SECRET)',
    `Console:         ${issuer}/console/  (sign in as ${report.adminUsername})`,
    'These generated values are shown once and never again. Try:',
    `  curl -s -u '${report.clientId}:<client_secret>' -d grant_type=client_credentials ${issuer}/oauth2-token`,
    '======================================================',
    '',
  ];
  return lines.join('\n');
}
