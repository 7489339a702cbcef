import { ConcurrencyError, StoreUnavailableError, type ExpectedRevision } from '../eventStore.js';

/**
 * SQLSTATE classes and codes that mean "PostgreSQL cannot serve this now": connection
 * exceptions (08), insufficient resources (53: disk full, out of memory, too many
 * connections), operator intervention (57: shutdown, cannot connect now, query canceled),
 * a read-only standby (25006), a deadlock or serialization failure (40P01, 40001: retry),
 * and refused logins or a missing database (28, 3D000) — configuration, but still "cannot
 * serve", reported without the connection string.
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '28'];
const UNAVAILABLE_CODES = new Set(['25006', '40P01', '40001', '3D000']);
/** Node socket errors: nothing listens, the connection broke, the name does not resolve. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres reports a broken or closed connection with these messages and no code. */
const DRIVER_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /Cannot use a pool after calling end/i,
  /Client was closed/i,
];

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export function isUnavailablePgError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_CLASSES.includes(code.slice(0, 2));
  }
  if (error instanceof AggregateError) return error.errors.some(isUnavailablePgError);
  const message = error instanceof Error ? error.message : '';
  return DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/** The revision a unique violation on (stream, revision) names: `Key (stream, revision)=(s, 3) already exists.` */
const takenRevision = (error: unknown): number | undefined => {
  const detail = (error as { detail?: unknown } | null)?.detail;
  const match = typeof detail === 'string' ? /\(stream, revision\)=\(.*, (\d+)\)/.exec(detail) : null;
  return match ? Number(match[1]) : undefined;
};

/**
 * A pg driver error in the port's terms (pure, tested on its own): a unique violation
 * (23505) is a ConcurrencyError for the append that hit it; an unreachable or unusable
 * server is a StoreUnavailableError naming the action (never the connection string, which
 * may hold a password); anything else passes through.
 */
export function toPortError(error: unknown, action: string, append?: { streamName: string; expected: ExpectedRevision }): unknown {
  if (error instanceof ConcurrencyError || error instanceof StoreUnavailableError) return error;
  if (codeOf(error) === '23505' && append) {
    return new ConcurrencyError(append.streamName, append.expected, takenRevision(error) ?? 'no_stream');
  }
  if (isUnavailablePgError(error)) {
    const code = codeOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`Event store ${action} failed: PostgreSQL is unavailable (${code ? `${code}: ` : ''}${reason})`, {
      cause: error,
    });
  }
  return error;
}
