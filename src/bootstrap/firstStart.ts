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
import { toEventMetadata } from '../eventStore/eventMetadata.js';
import { isConcurrencyError, type EventStore, type RecordedEvent } from '../eventStore/eventStore.js';
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
  /** Until then the node that wrote it is taken to be at work; absent in older stores (occurredAt + lease). */
  leaseUntil?: string;
}

/** How long a node that started the bootstrap is waited for before another takes over. */
const BOOTSTRAP_LEASE_MS = 30_000;

export interface BootstrapOptions {
  /** How often a node waiting for another node's bootstrap looks again (default 100 ms). */
  pollMs?: number;
}

const exists = async (store: EventStore, stream: string): Promise<boolean> =>
  (await store.readStream(stream, { maxCount: 1 })).length > 0;

const generatedPassword = (): string => randomBytes(18).toString('base64url');

const leaseEnd = (event: RecordedEvent): number => {
  const { leaseUntil } = event.data as BootstrapStarted;
  return Date.parse(leaseUntil ?? event.metadata.occurredAt) + (leaseUntil ? 0 : BOOTSTRAP_LEASE_MS);
};

/**
 * First start on an empty store: an organization with global access, an administrator and a
 * client-credentials application owned by them, so a fresh install can be driven with curl.
 * Exactly once, even when several nodes start together, through the store's expected
 * revisions on a marker stream: the node whose `BootstrapStarted` is accepted with "no
 * stream" does it; the others wait until `BootstrapCompleted`. A node that started and
 * crashed midway is waited for until its lease ends; then one node (again: the one whose
 * `BootstrapResumed` is accepted at the marker's revision) takes over, skipping each step
 * whose stream exists. Returns null when there was nothing to do (every later start).
 */
export async function bootstrapFirstStart(
  deps: CommandDeps,
  settings: BootstrapSettings,
  now: () => Date = () => new Date(),
  options: BootstrapOptions = {},
): Promise<BootstrapReport | null> {
  const { store } = deps;
  const metadata = (): CommandMetadata => ({ actor: 'bootstrap', actorKind: 'system', now: now(), correlationId: newId() });
  const markerEvent = (type: string, data: unknown) => {
    const m = metadata();
    return { id: newEventId(), type, data, metadata: toEventMetadata(type, m) };
  };

  let ids: BootstrapStarted | undefined;
  let markerRevision = 0;
  // Also bounded by the time waited, so a clock that stands still (tests) cannot wait forever.
  let waitedMs = 0;
  const pollMs = options.pollMs ?? 100;
  while (ids === undefined) {
    const marker = await store.readStream(BOOTSTRAP_STREAM);
    if (marker.some((e) => e.type === 'BootstrapCompleted')) return null;
    const last = marker.at(-1);
    if (last === undefined) {
      const populated = (await store.readAll({ maxCount: 1, filter: { streamPrefixes: [streamPrefixes.organization] } })).length > 0;
      const claim: BootstrapStarted = {
        organizationId: newId(),
        userId: newId(),
        applicationId: newId(),
        leaseUntil: new Date(now().getTime() + BOOTSTRAP_LEASE_MS).toISOString(),
      };
      try {
        await store.appendToStream(
          BOOTSTRAP_STREAM,
          [populated ? markerEvent('BootstrapCompleted', { skipped: 'store already had organizations' }) : markerEvent('BootstrapStarted', claim)],
          { expectedRevision: 'no_stream' },
        );
      } catch (error) {
        if (isConcurrencyError(error)) continue; // another node claimed it first: wait for it
        throw error;
      }
      if (populated) return null;
      ids = claim;
    } else if (now().getTime() < leaseEnd(last) && waitedMs < BOOTSTRAP_LEASE_MS) {
      // Another node is at work (or was, until its lease ends).
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      waitedMs += pollMs;
    } else {
      const takeover: BootstrapStarted = {
        ...(last.data as BootstrapStarted),
        leaseUntil: new Date(now().getTime() + BOOTSTRAP_LEASE_MS).toISOString(),
      };
      try {
        await store.appendToStream(BOOTSTRAP_STREAM, [markerEvent('BootstrapResumed', takeover)], { expectedRevision: last.revision });
      } catch (error) {
        if (isConcurrencyError(error)) continue;
        throw error;
      }
      ids = takeover;
      markerRevision = last.revision + 1;
    }
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
  const { leaseUntil: _lease, ...completed } = ids;
  await store.appendToStream(BOOTSTRAP_STREAM, [markerEvent('BootstrapCompleted', completed)], { expectedRevision: markerRevision }).catch((error: unknown) => {
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
