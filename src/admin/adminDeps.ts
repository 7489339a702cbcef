import type { ApiCatalog } from '../apiCatalog/apiCatalog.js';
import type { AuditReader } from '../audit/auditReader.js';
import type { CommandDeps } from '../commands/commandDeps.js';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore.js';
import type { Principal } from '../authorization/principal.js';
import type { ReadModel } from '../../projections/readModel.js';

/** What the admin API needs; the composition root (src/app/) provides it. */
export interface AdminDeps {
  store: EventStore;
  commands: CommandDeps;
  readModel: ReadModel;
  /** The API catalog: which scopes applications may hold. */
  catalog: ApiCatalog;
  /** Resolves a bearer token to the caller, or throws an HttpProblem(401). */
  authenticate(token: string): Promise<Principal>;
  /**
   * Called after every successful write with the recorded events: makes the change visible
   * to this node's token path (a deactivation cuts tokens off before the response).
   */
  afterWrite(events: RecordedEvent[]): Promise<void>;
  /** Waits until the read model reflects `position`; false when the bounded wait ran out. */
  awaitReadModel(position: number): Promise<boolean>;
  /** The application of a client id, deleted ones included (history's `via`); null when unknown. */
  applicationIdOfClient(clientId: string): Promise<string | null>;
  /** Application history pages and exports (src/audit/auditReader.ts: on the reader thread for the SQLite file store). */
  audit: AuditReader;
  /** Current time (injectable for tests). */
  now(): Date;
  issuer: string;
}
