import { createApplication } from '../commands/applicationCommands.js';
import type { CommandDeps } from '../commands/commandDeps.js';
import { loadApplication } from '../commands/lookups.js';
import {
  CONSOLE_APPLICATION_ID,
  CONSOLE_APPLICATION_NAME,
  CONSOLE_CLIENT_ID,
} from '../domain/application/consoleClient.js';
import { isDomainError } from '../domain/shared/domainError.js';
import { streamPrefixes } from '../domain/shared/streamNames.js';
import { newId } from '../security/ids.js';
import { BOOTSTRAP_STREAM } from './firstStart.js';

/**
 * Creates the console's first-party client unless it exists: at first start, and on any later
 * start of a store made before the console. Its stream name is fixed, so of several nodes
 * starting at once exactly one append succeeds (expected revision "no stream"); the others
 * see ALREADY_EXISTS (or lose the name reservation) and carry on. The generated secret is
 * dropped: nobody ever knows it, and client authentication refuses this client anyway.
 */
export async function ensureConsoleClient(deps: CommandDeps, now: () => Date = () => new Date()): Promise<void> {
  const { state } = await loadApplication(deps.store, CONSOLE_APPLICATION_ID);
  if (state.status !== 'Empty') return;
  const organizationId = await homeOrganization(deps);
  if (organizationId === undefined) return; // no organization yet: nobody could sign in
  try {
    await createApplication(
      deps,
      {
        applicationId: CONSOLE_APPLICATION_ID,
        clientId: CONSOLE_CLIENT_ID,
        name: CONSOLE_APPLICATION_NAME,
        organizationId,
        ownerUserId: null,
        grants: ['password'],
        firstParty: true,
        description: 'The back-office console at /console/ (first-party; used in process only).',
      },
      { actor: 'bootstrap', actorKind: 'system', now: now(), correlationId: newId() },
    );
  } catch (error) {
    // Another node created it first.
    if (isDomainError(error) && ['ALREADY_EXISTS', 'DUPLICATE_NAME', 'CONFLICT'].includes(error.code)) return;
    throw error;
  }
}

/** The first-start organization, or else the first global-access organization of the store. */
async function homeOrganization(deps: CommandDeps): Promise<string | undefined> {
  const marker = await deps.store.readStream(BOOTSTRAP_STREAM);
  const ids = marker.map((e) => e.data as { organizationId?: string }).find((d) => typeof d.organizationId === 'string');
  if (ids?.organizationId) return ids.organizationId;
  const created = await deps.store.readAll({ filter: { eventTypes: ['OrganizationCreated'], streamPrefixes: [streamPrefixes.organization] } });
  const global = created.find((e) => (e.data as { globalAccess?: boolean }).globalAccess === true);
  return (global?.data as { organizationId?: string } | undefined)?.organizationId;
}
