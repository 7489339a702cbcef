import { applicationFromRow } from '../admin/applicationResource.js';
import { csvRow } from './csv.js';
import type { RegistryRow } from './registryAsOf.js';

/** CSV columns of `npm run audit -- as-of` (README, "Audit exports"). */
export const REGISTRY_CSV_COLUMNS = [
  'id',
  'clientId',
  'name',
  'organizationId',
  'organizationName',
  'ownerUserId',
  'ownerUsername',
  'active',
  'deleted',
  'grants',
  'createdAt',
  'updatedAt',
  'validSecrets',
  'previousSecretValidUntil',
] as const;

/** One application as of the moment, as the admin API shows it, with the secrets valid then. */
export const registryResource = (row: RegistryRow) => ({ ...applicationFromRow(row), secrets: row.secrets });

export const registryCsvRow = (row: RegistryRow): string =>
  csvRow([
    row.id,
    row.clientId,
    row.name,
    row.organizationId,
    row.organizationName,
    row.ownerUserId,
    row.ownerUsername,
    row.active,
    row.deleted,
    row.grants.join(' '),
    row.createdAt,
    row.updatedAt,
    row.secrets.length,
    row.secrets.find((s) => !s.current)?.validUntil ?? null,
  ]);
