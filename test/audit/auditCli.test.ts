import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { AUDIT_USAGE, runAudit } from '../../src/audit/auditCommand.js';
import { CSV_COLUMNS } from '../../src/audit/historyExport.js';
import { APP, CLIENT, createHistoryFixture, minute, type HistoryFixture } from './historyFixture.js';

const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  const code = await runAudit(argv, { stdout, stderr, env });
  return { code, out, err };
};

describe('npm run audit: history and as-of from a copy of the store', function () {
  let fixture: HistoryFixture;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    fixture = await createHistoryFixture();
    await fixture.store.close(); // the auditor's copy: no server holds it
    env = { DATA_DIR: fixture.dir.path };
  });
  after(() => fixture.dir.remove());

  it('given --help, then prints the usage and exits 0; given nothing or an unknown command or option, then usage on stderr and 2', async function () {
    const help = await run(['--help'], env);
    expect(help).to.include({ code: 0, out: AUDIT_USAGE });
    expect(help.out).to.include('history <applicationId|clientId>').and.include('as-of <time>');
    for (const argv of [[], ['export'], ['history', APP, '--colour'], ['history'], ['as-of']]) {
      const bad = await run(argv, env);
      expect(bad.code, argv.join(' ')).to.equal(2);
      expect(bad.err).to.include('usage:');
      expect(bad.out).to.equal('');
    }
  });

  it('given a client id, then the application\'s whole history with its kept token events, as JSON Lines', async function () {
    const result = await run(['history', CLIENT, '--tokens', '--order', 'asc'], env);

    expect(result.code, result.err).to.equal(0);
    const entries = result.out.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; stream: string });
    expect(entries).to.have.length(4 + fixture.keptTokenMinutes.length);
    expect(entries[0]!.type).to.equal('ApplicationCreated');
    expect(entries.at(-1)!.type).to.equal('ApplicationDeleted');
  });

  it('given a period and csv, then only that period, with the documented columns', async function () {
    const result = await run(['history', APP, '--from', minute(10).toISOString(), '--to', minute(21).toISOString(), '--format', 'csv'], env);

    expect(result.code, result.err).to.equal(0);
    const rows = result.out.split('\r\n');
    expect(rows[0]).to.equal(CSV_COLUMNS.join(','));
    expect(rows.slice(1, -1).map((row) => row.split(',')[2])).to.deep.equal(['ApplicationSecretRotated', 'ApplicationUpdated']);
  });

  it('given bad input, then a clear message and exit code 2; an unknown application or a missing store, then 1', async function () {
    const badTime = await run(['history', APP, '--from', 'last tuesday'], env);
    const badFormat = await run(['as-of', '2025-11-03', '--format', 'xlsx'], env);
    const unknown = await run(['history', 'no-such-app'], env);
    const missing = await run(['as-of', '2025-11-03'], { DATA_DIR: `${fixture.dir.path}/nothing-here` });

    expect(badTime).to.include({ code: 2 });
    expect(badTime.err).to.include('--from');
    expect(badFormat).to.include({ code: 2 });
    expect(badFormat.err).to.include('--format');
    expect(unknown).to.include({ code: 1 });
    expect(unknown.err).to.include('no application with id or client id no-such-app');
    expect(missing).to.include({ code: 1 });
    expect(missing.err).to.include('no event store at');
  });

  it('given a moment, then the registry as it was: renamed, not yet deleted; after the deletion only with --deleted', async function () {
    const during = await run(['as-of', minute(15).toISOString()], env);
    const before = await run(['as-of', minute(0).toISOString()], env);
    const after = await run(['as-of', minute(40).toISOString()], env);
    const afterWithDeleted = await run(['as-of', minute(40).toISOString(), '--deleted', '--format', 'csv'], env);

    expect(during.code, during.err).to.equal(0);
    const [application] = during.out.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(application).to.deep.include({ id: APP, name: 'New', active: true, deleted: false, ownerUsername: 'alice', secrets: [{ current: true, validUntil: null }] });
    expect(before.out).to.equal('');
    expect(after.out).to.equal('');
    expect(afterWithDeleted.out.split('\r\n')[1]).to.match(new RegExp(`^${APP},${CLIENT},New,`)).and.include(',true,');
  });

  it('runs as npm run audit', async function () {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'audit', '--', '--help'], { env: { ...process.env, ...env } });
    expect(stdout).to.equal(AUDIT_USAGE);
  });
});
