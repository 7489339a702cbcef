/**
 * `npm run audit -- history|as-of …`: reads an event store directly (a copy of the SQLite file
 * in DATA_DIR, or EVENTSTORE_URL) through the same query modules as the admin API, for an
 * auditor working offline. There is no caller to authorize: whoever holds the store's file
 * sees everything in it. Writes JSON Lines or CSV to stdout; errors go to stderr.
 * Exit codes: 0 done, 1 the store or the application could not be read, 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { isDomainError } from '../domain/shared/domainError.js';
import { createEventStore } from '../eventStore/createEventStore.js';
import type { EventStore } from '../eventStore/eventStore.js';
import { streamBounds } from '../eventStore/findRevisionAtTime.js';
import { toApplicationStreamName } from '../domain/shared/streamNames.js';
import { gridQuery } from '../../projections/gridQuery.js';
import { parseTimeParameter } from '../admin/applicationAccess.js';
import { createActorDescriber } from './actorDescription.js';
import { createScannedClientDirectory } from './clientIndex.js';
import { exportHistory, renderExportPage } from './historyExport.js';
import { historyPages } from './historyQuery.js';
import { parseHistoryParameters } from './historyParameters.js';
import { registryRowsAsOf, withNames } from './registryAsOf.js';
import { REGISTRY_CSV_COLUMNS, registryCsvRow, registryResource } from './registryExport.js';
import { csvRow } from './csv.js';

export const AUDIT_USAGE = `usage:
  npm run audit -- history <applicationId|clientId> [--from <time>] [--to <time>] [--type <EventType>]...
                   [--tokens] [--order asc|desc] [--format jsonl|csv]
  npm run audit -- as-of <time> [--name <text>] [--organization-id <id>] [--active true|false]
                   [--deleted] [--sort <field>] [--format jsonl|csv]

Reads the event store directly: DATA_DIR/events.sqlite (default ./var), or EVENTSTORE_URL.
Times are ISO-8601 (2026-11-03 or 2026-11-03T12:00:00Z); --from is inclusive, --to exclusive.
history: every entry of the application (with --tokens, its token events too), newest first
unless --order asc. as-of: every application as it was at the time, with the secrets valid then.
Output goes to stdout (default JSON Lines). Exit codes: 0 done, 1 store or application not
found or unreadable, 2 bad usage.
`;

export interface AuditIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}
class NotFoundError extends Error {}

async function openStore(env: NodeJS.ProcessEnv): Promise<EventStore> {
  const eventStoreUrl = env.EVENTSTORE_URL || undefined;
  const dataDir = env.DATA_DIR || './var';
  if (eventStoreUrl === undefined && !existsSync(join(dataDir, 'events.sqlite'))) {
    throw new NotFoundError(`no event store at ${join(dataDir, 'events.sqlite')} (set DATA_DIR to the directory holding the copy, or EVENTSTORE_URL)`);
  }
  return createEventStore({ ...(eventStoreUrl !== undefined && { eventStoreUrl }), dataDir });
}

const options = {
  from: { type: 'string' },
  to: { type: 'string' },
  type: { type: 'string', multiple: true },
  tokens: { type: 'boolean' },
  order: { type: 'string' },
  format: { type: 'string' },
  name: { type: 'string' },
  'organization-id': { type: 'string' },
  active: { type: 'string' },
  deleted: { type: 'boolean' },
  sort: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const formatOf = (raw: string | undefined): 'jsonl' | 'csv' => {
  const format = raw ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
  return format;
};

/** The application id itself, or the application of a client id. */
async function resolveApplication(store: EventStore, idOrClientId: string): Promise<string> {
  if ((await streamBounds(store, toApplicationStreamName(idOrClientId))) !== null) return idOrClientId;
  const applicationId = await createScannedClientDirectory(store)(idOrClientId);
  if (applicationId === null) throw new NotFoundError(`no application with id or client id ${idOrClientId}`);
  return applicationId;
}

async function history(store: EventStore, positionals: string[], values: Record<string, unknown>, out: Writable): Promise<void> {
  const [target, ...rest] = positionals;
  if (target === undefined || rest.length > 0) throw new UsageError('history takes one application id or client id');
  const format = formatOf(values.format as string | undefined);
  const parameters = parseHistoryParameters({
    from: values.from,
    to: values.to,
    type: values.type,
    order: values.order,
    ...(values.tokens === true && { include: 'tokens' }),
    format,
  });
  const clients = createScannedClientDirectory(store);
  const query = { ...parameters.query, applicationId: await resolveApplication(store, target) };
  // In process: the CLI is the only reader of its copy, nothing to keep responsive.
  const pages = historyPages(store, query, createActorDescriber(store, clients), renderExportPage(format));
  await pipeline(exportHistory(pages, format), out, { end: false });
}

async function asOf(store: EventStore, positionals: string[], values: Record<string, unknown>, out: Writable): Promise<void> {
  const [time, ...rest] = positionals;
  if (time === undefined || rest.length > 0) throw new UsageError('as-of takes one time');
  const format = formatOf(values.format as string | undefined);
  const moment = parseTimeParameter('time', time)!;
  const query = gridQuery(
    { name: values.name, organizationId: values['organization-id'], active: values.active, sort: values.sort },
    { organizationIds: null, includeDeleted: values.deleted === true },
  );
  const rows = await registryRowsAsOf(store, moment, query);
  if (format === 'csv') out.write(csvRow(REGISTRY_CSV_COLUMNS));
  for (let i = 0; i < rows.length; i += 100) {
    for (const row of await withNames(store, moment, rows.slice(i, i + 100))) {
      const line = format === 'csv' ? registryCsvRow(row) : `${JSON.stringify(registryResource(row))}\n`;
      if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve));
    }
  }
}

/** Runs one audit command; resolves to the exit code. */
export async function runAudit(argv: string[], io: AuditIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`audit: ${(error as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  const [command, ...positionals] = parsed.positionals;
  if (parsed.values.help === true) {
    io.stdout.write(AUDIT_USAGE);
    return 0;
  }
  if (command !== 'history' && command !== 'as-of') {
    io.stderr.write(`${command === undefined ? '' : `audit: unknown command ${command}\n\n`}${AUDIT_USAGE}`);
    return 2;
  }
  let store: EventStore | undefined;
  try {
    store = await openStore(io.env);
    await (command === 'history' ? history : asOf)(store, positionals, parsed.values, io.stdout);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`audit: ${error.message}\n\n${AUDIT_USAGE}`);
      return 2;
    }
    if (isDomainError(error) || (error as { status?: number }).status === 400) {
      const fields = (error as { errors?: Array<{ field: string; message: string }> }).errors ?? [];
      io.stderr.write(`audit: ${(error as Error).message}${fields.map((f) => `\n  ${f.field === 'time' ? 'time' : `--${f.field}`}: ${f.message}`).join('')}\n`);
      return 2;
    }
    io.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}
