/**
 * The read model port. Two adapters implement it (projections/inMemory, projections/mongo) and
 * pass the same contract suite (test/projections/readModel.contract.ts).
 *
 * Idempotency rule (EventSourcing.NodeJS style): every document stores the stream revision it
 * reflects, and `upsert` applies only when the incoming revision is greater than the stored
 * one — so an event applied twice changes nothing.
 */
import type { Grant } from '../src/domain/application/applicationEvents.js';
import type { UserKind, UserRole } from '../src/domain/user/userEvents.js';
import type { CompiledGridQuery } from './gridQuery.js';
import type { CompiledDirectoryQuery } from './directoryQuery.js';

export interface ApplicationGridRow {
  id: string;
  clientId: string;
  name: string;
  /** `name` lower-cased: case-insensitive filter and sort key. */
  nameLower: string;
  organizationId: string;
  /** Denormalized; kept in sync by OrganizationRenamed. '' while unknown. */
  organizationName: string;
  ownerUserId: string | null;
  /** Denormalized at apply time; null without owner or while unknown. */
  ownerUsername: string | null;
  active: boolean;
  deleted: boolean;
  grants: Grant[];
  frontend: boolean;
  allApis: boolean;
  apis: string[];
  scopes: string[];
  applicationUrl: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  /** Advisory: coalesced from TokenIssued (see lastUsedProjection.ts). */
  lastUsedAt: string | null;
  /**
   * Advisory, per secret (lastUsedProjection.ts): the newest token whose client authenticated
   * with the secret that was current then, and with the previous one (TokenIssued's
   * `previousSecret: 1`, a rotation's grace period). Absent or null: none seen. Read against
   * the last rotation's time: a time before it belongs to an earlier secret.
   */
  currentSecretLastUsedAt?: string | null;
  previousSecretLastUsedAt?: string | null;
  /** Stream revision of `oauthApplication-<id>` this row reflects. */
  revision: number;
  /** Global position of the last application event applied to this row. */
  position: number;
}

/** The columns `touchLastUsed` alone writes. */
export type LastUsedColumn = 'lastUsedAt' | 'currentSecretLastUsedAt' | 'previousSecretLastUsedAt';
/** What an application upsert writes: the last-used columns are owned by `touchLastUsed` alone. */
export type ApplicationRowUpsert = Omit<ApplicationGridRow, LastUsedColumn>;

export interface UserRow {
  id: string;
  kind: UserKind;
  username: string;
  email: string;
  locale: string;
  roles: UserRole[];
  organizationIds: string[];
  enabled: boolean;
  locked: boolean;
  createdAt: string;
  revision: number;
}

export interface OrganizationRow {
  id: string;
  name: string;
  globalAccess: boolean;
  enabled: boolean;
  createdAt: string;
  revision: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export interface LastUsedUpdate {
  applicationId: string;
  /** ISO time; the stored value only ever moves forward (max). */
  at: string;
  /** The newest of these tokens authenticated with the current secret / the previous one (each a max too). */
  currentSecretAt?: string;
  previousSecretAt?: string;
}

export interface ApplicationReadModel {
  /** Deleted rows are returned only with `includeDeleted`. */
  get(id: string, options?: { includeDeleted?: boolean }): Promise<ApplicationGridRow | null>;
  /** Applies only if the stored revision is lower (or no row exists); true when applied. */
  upsert(row: ApplicationRowUpsert): Promise<boolean>;
  query(query: CompiledGridQuery): Promise<Page<ApplicationGridRow>>;
  /** Monotonic: keeps the max of stored and given times; unknown ids are ignored. */
  touchLastUsed(updates: readonly LastUsedUpdate[]): Promise<void>;
  /** Denormalized columns: set on every row of the organization / owner. Idempotent. */
  setOrganizationName(organizationId: string, name: string): Promise<void>;
  setOwnerUsername(userId: string, username: string): Promise<void>;
}

export interface DirectoryReadModel<Row> {
  get(id: string): Promise<Row | null>;
  /** Applies only if the stored revision is lower (or no row exists); true when applied. */
  upsert(row: Row): Promise<boolean>;
  list(query: CompiledDirectoryQuery<Row>): Promise<Page<Row>>;
}

/** Checkpoints are a tiny port: the last global position a projection runner applied. */
export interface CheckpointStore {
  /** null: never stored. */
  load(id: string): Promise<number | null>;
  store(id: string, position: number): Promise<void>;
}

export interface ReadModel {
  readonly kind: 'memory' | 'mongodb';
  readonly applications: ApplicationReadModel;
  readonly users: DirectoryReadModel<UserRow>;
  readonly organizations: DirectoryReadModel<OrganizationRow>;
  readonly checkpoints: CheckpointStore;
  /** Removes every document and checkpoint (rebuild starts from this). */
  clear(): Promise<void>;
  /** Readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
