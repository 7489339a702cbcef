import type { ApplicationSecret, ApplicationSecretRotated, ApplicationState } from './applicationEvents.js';

const stillValid = (secret: ApplicationSecret, at: number): boolean =>
  secret.validUntil === null || Date.parse(secret.validUntil) > at;

/**
 * Secrets after a rotation: the new one first (valid until replaced), then the previous
 * current one when it keeps a grace period, then older ones still in their own grace.
 * Older ones already expired at the rotation time are dropped when that time is known.
 */
export const evolveSecrets = (
  secrets: readonly ApplicationSecret[],
  rotation: ApplicationSecretRotated['data'],
  occurredAt: string | undefined,
): ApplicationSecret[] => {
  const [current, ...previous] = secrets;
  const at = occurredAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(occurredAt);
  const kept = previous.filter((s) => s.validUntil !== null && stillValid(s, at));
  const graced =
    current && rotation.previousSecretValidUntil !== null
      ? [{ hash: current.hash, validUntil: rotation.previousSecretValidUntil }]
      : [];
  return [{ hash: rotation.secretHash, validUntil: null }, ...graced, ...kept];
};

/**
 * Hashes a client may authenticate with at `now`: the current secret and previous ones
 * whose grace period has not ended. Empty for empty or deleted applications; whether an
 * inactive application may get tokens is the token service's decision, not this one's.
 */
export const validSecretHashes = (state: ApplicationState, now: Date): string[] => {
  if (state.status === 'Empty' || state.status === 'Deleted') return [];
  const at = now.getTime();
  return state.secrets.filter((s) => stillValid(s, at)).map((s) => s.hash);
};

/** A public client (Confidential Client off) has no usable secret: none is ever shown for it. */
export const showsClientSecret = (application: { confidential: boolean }): boolean => application.confidential;
