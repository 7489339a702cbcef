import type { Migration } from './migration.js';

/**
 * The console's and the authorization endpoint's sessions, shared by the nodes
 * (src/console/session/postgresSessionRecords.ts): sealed values under the hash of their id.
 */
export const m0003ConsoleSessions: Migration = {
  version: 3,
  name: 'console sessions',
  sql: `
    CREATE TABLE console_sessions (
      kind text NOT NULL,
      key text NOT NULL,
      value text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (kind, key)
    );
    CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
  `,
};
