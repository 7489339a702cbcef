import type { ExistingApplication } from '../../domain/application/applicationEvents.js';
import { toApplicationStreamName } from '../../domain/shared/streamNames.js';
import { eventTimeOf } from '../../eventStore/findRevisionAtTime.js';
import type { ApplicationGridRow } from '../../../projections/readModel.js';
import type { ConsoleDeps } from '../consoleDeps.js';

const CHUNK = 32;

/** When the application's secret was last rotated: its stream read backwards in small chunks (application streams are short). */
async function lastRotation(deps: ConsoleDeps, applicationId: string): Promise<number | null> {
  const streamName = toApplicationStreamName(applicationId);
  for (let from: number | undefined; ; ) {
    const chunk = await deps.store.readStream(streamName, { direction: 'backwards', maxCount: CHUNK, ...(from !== undefined && { fromRevision: from }) });
    const rotation = chunk.find((e) => e.type === 'ApplicationSecretRotated');
    if (rotation !== undefined) return eventTimeOf(rotation);
    const oldest = chunk.at(-1);
    if (chunk.length < CHUNK || oldest === undefined || oldest.revision === 0) return null;
    from = oldest.revision - 1;
  }
}

/**
 * Last used per secret while a rotation's grace period runs (the previous secret still valid
 * now): the read model's per-secret times (lastUsedProjection.ts), each shown only when it is
 * later than the rotation (an earlier time belongs to an older secret). Undefined outside a
 * grace period. A convenience figure: it may trail the tokens by a flush interval.
 */
export async function secretUse(deps: ConsoleDeps, state: ExistingApplication, row: ApplicationGridRow | null) {
  const previous = state.status === 'Deleted' ? undefined : state.secrets[1];
  if (previous === undefined || previous.validUntil === null || Date.parse(previous.validUntil) <= deps.now().getTime()) return undefined;
  const rotatedAt = await lastRotation(deps, state.applicationId);
  const since = (at: string | null | undefined): string | null => (at != null && rotatedAt !== null && Date.parse(at) >= rotatedAt ? at : null);
  return {
    previousValidUntil: previous.validUntil,
    rotatedAt: rotatedAt === null ? null : new Date(rotatedAt).toISOString(),
    current: since(row?.currentSecretLastUsedAt),
    previous: since(row?.previousSecretLastUsedAt),
  };
}
